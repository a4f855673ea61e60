package io.kivaloo.proto.daemon;

import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * A daemon in a child process, for what only a real process can show: exit
 * codes, signals, kill -9. One of ours runs in a JVM on the test's class path
 * in the foreground ({@code -F}), and is ready when {@link Daemon} logs its
 * "ready" line, observed on the child's output, never after a sleep. A C
 * daemon, or a launcher, is {@link #run run} to completion: it detaches once
 * ready and is then known by its pid file.
 */
public final class DaemonChild implements AutoCloseable {

    public static final long DEADLINE_SECONDS = 120;

    private final Process process;
    private final StringBuffer output = new StringBuffer();
    private final CompletableFuture<Void> ready = new CompletableFuture<>();
    private final Thread pump;

    private DaemonChild(List<String> command, Map<String, String> environment) throws IOException {
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
        builder.environment().putAll(environment);
        process = builder.start();
        pump = new Thread(this::pumpOutput, "daemon-child-output");
        pump.setDaemon(true);
        pump.start();
    }

    /**
     * The command line of a JVM running {@code mainClass} with {@code args},
     * on the test class path after {@code extraClassPath} (or null), tagged
     * {@code -Dkivaloo.daemon=<daemonTag>} as the launchers tag it.
     */
    public static List<String> java(List<String> jvmOptions, String daemonTag, String extraClassPath, String mainClass,
                                    List<String> args) {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(jvmOptions);
        command.add("-Dkivaloo.daemon=" + daemonTag);
        command.add("-cp");
        String classPath = System.getProperty("java.class.path");
        command.add(extraClassPath == null ? classPath : extraClassPath + File.pathSeparator + classPath);
        command.add(mainClass);
        command.addAll(args);
        return command;
    }

    /**
     * Starts one of our daemons in the foreground ({@code -F --log-level info}
     * are added) and waits until it is ready; fails with its output if it
     * exits first.
     */
    public static DaemonChild startJava(List<String> jvmOptions, String daemonTag, String extraClassPath, String mainClass,
                                        List<String> args, Map<String, String> environment) throws Exception {
        List<String> all = new ArrayList<>(args);
        all.addAll(List.of("-F", "--log-level", "info"));
        DaemonChild child = new DaemonChild(java(jvmOptions, daemonTag, extraClassPath, mainClass, all), environment);
        CompletableFuture.anyOf(child.ready, child.process.onExit()).get(DEADLINE_SECONDS, TimeUnit.SECONDS);
        if (!child.ready.isDone()) {
            throw new AssertionError(mainClass + " exited with status " + child.process.waitFor() + " before it was ready:\n"
                    + child.output());
        }
        return child;
    }

    /**
     * Runs a command to completion; returns its status and output. The output
     * goes to a file, not a pipe: a C daemon detaches and its daemon child
     * inherits the output, so a pipe would stay open for the daemon's life.
     */
    public static Finished run(List<String> command, Map<String, String> environment) throws Exception {
        Path out = Files.createTempFile("kivaloo-child", ".out");
        try {
            ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(out.toFile());
            builder.environment().putAll(environment);
            Process process = builder.start();
            if (!process.waitFor(DEADLINE_SECONDS, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new AssertionError("did not exit: " + command + "\n" + Files.readString(out));
            }
            return new Finished(process.exitValue(), Files.readString(out));
        } finally {
            Files.deleteIfExists(out);
        }
    }

    /** A command that ran to completion: its exit status and everything it printed. */
    public record Finished(int status, String output) {
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

    public long pid() {
        return process.pid();
    }

    public String output() {
        return output.toString();
    }

    public boolean isAlive() {
        return process.isAlive();
    }

    /** SIGKILL, and waits until the process is gone. */
    public void kill9() throws Exception {
        process.destroyForcibly();
        if (!process.waitFor(DEADLINE_SECONDS, TimeUnit.SECONDS)) {
            throw new AssertionError("survived SIGKILL:\n" + output());
        }
    }

    /** SIGTERM; returns the exit status. */
    public int terminate() throws Exception {
        process.destroy();
        return awaitExit();
    }

    /** Waits for the process to end by itself; returns the exit status. */
    public int awaitExit() throws Exception {
        if (!process.waitFor(DEADLINE_SECONDS, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new AssertionError("did not exit:\n" + output());
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
