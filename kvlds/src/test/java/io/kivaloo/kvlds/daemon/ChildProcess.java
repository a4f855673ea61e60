package io.kivaloo.kvlds.daemon;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * A daemon in a child process: one of ours in a JVM on the test's class path
 * (foreground, -F), with readiness taken from its "ready" log line, never a
 * sleep; or a C daemon, which detaches once ready and is then known by its
 * pid file.
 */
final class ChildProcess implements AutoCloseable {

    static final long DEADLINE_SECONDS = 120;

    private final Process process;
    private final StringBuffer output = new StringBuffer();
    private final CompletableFuture<Void> ready = new CompletableFuture<>();
    private final Thread pump;

    private ChildProcess(List<String> command) throws IOException {
        process = new ProcessBuilder(command).redirectErrorStream(true).start();
        pump = new Thread(this::pumpOutput, "child-output");
        pump.setDaemon(true);
        pump.start();
    }

    /** The command line of a JVM running {@code mainClass} on the test class path plus {@code extraClassPath}. */
    static List<String> java(String daemonTag, String extraClassPath, String mainClass, List<String> args) {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.add("-Xmx512m");
        command.add("-Dkivaloo.daemon=" + daemonTag);
        command.add("-cp");
        String cp = System.getProperty("java.class.path");
        command.add(extraClassPath == null ? cp : extraClassPath + java.io.File.pathSeparator + cp);
        command.add(mainClass);
        command.addAll(args);
        return command;
    }

    /** Starts one of our daemons in the foreground and waits until it is ready; fails with its output if it exits first. */
    static ChildProcess startJava(String daemonTag, String extraClassPath, String mainClass, List<String> args) throws Exception {
        List<String> all = new ArrayList<>(args);
        all.add("-F");
        all.add("--log-level");
        all.add("info");
        ChildProcess child = new ChildProcess(java(daemonTag, extraClassPath, mainClass, all));
        CompletableFuture.anyOf(child.ready, child.process.onExit()).get(DEADLINE_SECONDS, TimeUnit.SECONDS);
        if (!child.ready.isDone()) {
            throw new AssertionError(mainClass + " exited with status " + child.process.waitFor() + " before it was ready:\n" + child.output());
        }
        return child;
    }

    /**
     * Runs a command to completion; returns its status and output. The output
     * goes to a file, not a pipe: a C daemon detaches and its daemon child
     * inherits the output, so a pipe would stay open for the daemon's life.
     */
    static Finished run(List<String> command) throws Exception {
        Path out = Files.createTempFile("kivaloo-child", ".out");
        try {
            Process process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(out.toFile()).start();
            if (!process.waitFor(DEADLINE_SECONDS, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new AssertionError("did not exit: " + command + "\n" + Files.readString(out));
            }
            return new Finished(process.exitValue(), Files.readString(out));
        } finally {
            Files.deleteIfExists(out);
        }
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

    String output() {
        return output.toString();
    }

    /** SIGKILL, and waits until the process is gone. */
    void kill9() throws Exception {
        process.destroyForcibly();
        if (!process.waitFor(DEADLINE_SECONDS, TimeUnit.SECONDS)) {
            throw new AssertionError("survived SIGKILL");
        }
    }

    /** SIGTERM; returns the exit status. */
    int terminate() throws Exception {
        process.destroy();
        return awaitExit();
    }

    /** Waits for the process to end by itself; returns the exit status. */
    int awaitExit() throws Exception {
        if (!process.waitFor(DEADLINE_SECONDS, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new AssertionError("did not exit:\n" + output());
        }
        pump.join(TimeUnit.SECONDS.toMillis(DEADLINE_SECONDS));
        return process.exitValue();
    }

    boolean isAlive() {
        return process.isAlive();
    }

    @Override
    public void close() {
        if (process.isAlive()) {
            process.destroyForcibly();
            process.onExit().join();
        }
    }
}
