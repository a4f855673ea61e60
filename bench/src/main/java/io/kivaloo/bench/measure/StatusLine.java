package io.kivaloo.bench.measure;

import io.netty.channel.EventLoop;
import io.netty.util.concurrent.ScheduledFuture;

import java.io.PrintStream;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

/**
 * A once-a-second status line on standard error while a benchmark runs, only
 * when a terminal is attached ({@code System.console() != null}): piped or
 * logged runs keep exactly the C programs' output.
 */
public final class StatusLine implements AutoCloseable {

    private final ScheduledFuture<?> task;
    private final PrintStream err;

    private StatusLine(ScheduledFuture<?> task, PrintStream err) {
        this.task = task;
        this.err = err;
    }

    /**
     * @param completions read on {@code loop} each second
     * @param phase       a word for the line ("warm-up", "measuring")
     * @return a handle to close at the end, or null-object when no terminal is attached
     */
    public static StatusLine start(String name, EventLoop loop, LongSupplier completions, java.util.function.Supplier<String> phase) {
        if (System.console() == null) {
            return new StatusLine(null, null);
        }
        PrintStream err = System.err;
        long startNanos = System.nanoTime();
        long[] last = {0};
        ScheduledFuture<?> task = loop.scheduleAtFixedRate(() -> {
            long now = completions.getAsLong();
            long elapsed = (System.nanoTime() - startNanos) / 1_000_000_000L;
            err.print("\r" + name + ": " + elapsed + " s " + phase.get() + ", " + (now - last[0]) + " /s, " + now + " total   ");
            err.flush();
            last[0] = now;
        }, 1, 1, TimeUnit.SECONDS);
        return new StatusLine(task, err);
    }

    @Override
    public void close() {
        if (task != null) {
            task.cancel(false);
            err.print("\r\033[K");
            err.flush();
        }
    }
}
