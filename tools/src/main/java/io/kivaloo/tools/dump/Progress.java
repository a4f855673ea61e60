package io.kivaloo.tools.dump;

import java.io.PrintStream;
import java.util.Locale;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Counts the pairs and dump bytes a tool has moved, and shows them: a
 * progress line once a second on stderr while it runs, when stderr is a
 * terminal (rewritten in place with a carriage return, cleared at the end),
 * and the original's summary line, {@code Dumped <N> key-value pairs in <T>
 * seconds.}, at the end with {@code -v}. The original prints that line
 * without a newline and with a negative duration (it subtracts in the wrong
 * order, mux.md §3); here it ends with a newline and T is the elapsed time
 * on the monotonic clock.
 */
final class Progress implements AutoCloseable {

    /** ANSI "erase to end of line": what a shorter line leaves behind. */
    private static final String ERASE_LINE = "\r\033[K";
    private static final long TICK_MILLIS = 1000;

    private final String verb;
    private final PrintStream err;
    private final long startNanos = System.nanoTime();
    private final AtomicLong pairs = new AtomicLong();
    private final AtomicLong bytes = new AtomicLong();
    private final ScheduledExecutorService ticker;
    private boolean closed;

    /**
     * @param verb     "Dumped" or "Stored"
     * @param terminal stderr is a terminal: show the progress line
     */
    Progress(String verb, PrintStream err, boolean terminal) {
        this.verb = verb;
        this.err = err;
        if (terminal) {
            ticker = Executors.newSingleThreadScheduledExecutor(r -> {
                Thread thread = new Thread(r, "progress");
                thread.setDaemon(true);
                return thread;
            });
            ticker.scheduleAtFixedRate(this::printProgress, TICK_MILLIS, TICK_MILLIS, TimeUnit.MILLISECONDS);
        } else {
            ticker = null;
        }
    }

    /** One pair moved. Called from any thread. */
    void add(int keyLength, int valueLength) {
        pairs.incrementAndGet();
        bytes.addAndGet(StreamFormat.pairBytes(keyLength, valueLength));
    }

    long pairs() {
        return pairs.get();
    }

    /** The line shown once a second, e.g. {@code Dumped 120000 pairs, 4.80 MB, 60000 pairs/s}. */
    String progressLine() {
        double seconds = elapsedSeconds();
        long n = pairs.get();
        double rate = seconds > 0 ? n / seconds : 0;
        return String.format(Locale.ROOT, "%s %d pairs, %.2f MB, %.0f pairs/s", verb, n, bytes.get() / 1e6, rate);
    }

    /** The original's summary, with its newline and a positive duration. */
    String summaryLine() {
        return String.format(Locale.ROOT, "%s %d key-value pairs in %f seconds.%n", verb, pairs.get(), elapsedSeconds());
    }

    private double elapsedSeconds() {
        return (System.nanoTime() - startNanos) / 1e9;
    }

    private void printProgress() {
        err.print(ERASE_LINE + progressLine());
        err.flush();
    }

    /** Stops the progress line and clears it, so that what follows starts on a clean line. */
    @Override
    public void close() {
        if (ticker != null && !closed) {
            closed = true;
            ticker.shutdownNow();
            awaitTicker();
            err.print(ERASE_LINE);
            err.flush();
        }
    }

    private void awaitTicker() {
        try {
            // A tick already running finishes its one line; then the line is ours to clear.
            ticker.awaitTermination(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
