package io.kivaloo.lbs;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * {@link LbsMain} in a child JVM (the test's own class path), in the
 * foreground ({@code -F}), for what only a real process can show: exit codes,
 * signals, kill -9. Readiness is the runner's "ready" log line, observed on
 * the child's stderr, never a sleep.
 */
final class LbsProcess implements AutoCloseable {

    private static final long DEADLINE_SECONDS = 90;

    private final Process process;
    private final StringBuffer output = new StringBuffer();
    private final CompletableFuture<Void> ready = new CompletableFuture<>();
    private final Thread pump;

    private LbsProcess(List<String> args) throws IOException {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.add("-Xmx256m");
        command.add("-XX:TieredStopAtLevel=1"); // starts faster; these runs are short
        command.add("-Dkivaloo.daemon=lbs/lbs");
        command.add("-cp");
        command.add(System.getProperty("java.class.path"));
        command.add(LbsMain.class.getName());
        command.addAll(args);
        process = new ProcessBuilder(command).redirectErrorStream(true).start();
        pump = new Thread(this::pumpOutput, "lbs-child-output");
        pump.setDaemon(true);
        pump.start();
    }

    /** Starts a daemon and waits until it is ready; fails with its output if it exits instead. */
    static LbsProcess start(String... args) throws Exception {
        List<String> all = new ArrayList<>(List.of(args));
        all.add("-F");
        all.add("--log-level");
        all.add("info");
        LbsProcess child = new LbsProcess(all);
        CompletableFuture.anyOf(child.ready, child.process.onExit()).get(DEADLINE_SECONDS, TimeUnit.SECONDS);
        if (!child.ready.isDone()) {
            throw new AssertionError("lbs exited with status " + child.process.waitFor() + " before it was ready:\n" + child.output());
        }
        return child;
    }

    /** Runs a command line to completion (for usage and start-up errors). */
    static Finished run(String... args) throws Exception {
        LbsProcess child = new LbsProcess(List.of(args));
        if (!child.process.waitFor(DEADLINE_SECONDS, TimeUnit.SECONDS)) {
            child.process.destroyForcibly();
            throw new AssertionError("lbs did not exit:\n" + child.output());
        }
        child.pump.join(TimeUnit.SECONDS.toMillis(DEADLINE_SECONDS));
        return new Finished(child.process.exitValue(), child.output());
    }

    record Finished(int status, String output) {
    }

    private void pumpOutput() {
        try (BufferedReader in = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
            for (String line = in.readLine(); line != null; line = in.readLine()) {
                output.append(line).append('\n');
                if (line.contains(" ready pid=")) {
                    ready.complete(null);
                }
            }
        } catch (IOException e) {
            output.append("[output lost: ").append(e.getMessage()).append("]\n");
        }
    }

    long pid() {
        return process.pid();
    }

    String output() {
        return output.toString();
    }

    /** SIGKILL, and waits until the process is gone. */
    void kill9() throws Exception {
        process.destroyForcibly();
        if (!process.waitFor(DEADLINE_SECONDS, TimeUnit.SECONDS)) {
            throw new AssertionError("lbs survived SIGKILL");
        }
    }

    /** SIGTERM; returns the exit status. */
    int terminate() throws Exception {
        process.destroy();
        if (!process.waitFor(DEADLINE_SECONDS, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new AssertionError("lbs ignored SIGTERM:\n" + output());
        }
        pump.join(TimeUnit.SECONDS.toMillis(DEADLINE_SECONDS));
        return process.exitValue();
    }

    /** Waits for the process to end by itself; returns the exit status. */
    int awaitExit() throws Exception {
        if (!process.waitFor(DEADLINE_SECONDS, TimeUnit.SECONDS)) {
            throw new AssertionError("lbs did not exit:\n" + output());
        }
        pump.join(TimeUnit.SECONDS.toMillis(DEADLINE_SECONDS));
        return process.exitValue();
    }

    @Override
    public void close() {
        if (process.isAlive()) {
            process.destroyForcibly();
            process.onExit().join();
        }
    }
}
