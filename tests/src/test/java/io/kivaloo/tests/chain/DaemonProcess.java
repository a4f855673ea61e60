package io.kivaloo.tests.chain;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * One daemon of a chain as an operator runs it: started through its launcher,
 * which returns once the daemon listens and has written its pid file (wire.md
 * §6); known afterwards only by that pid; stopped by signals.
 *
 * <p>The launcher's standard output and error, which the daemon inherits, are
 * appended to the daemon's log file, one section per start, so a failure
 * report shows every incarnation.
 *
 * <p>The daemon is not a child of the test JVM (the launcher detaches it), so
 * no notification of its exit exists: {@link #awaitExit} observes
 * {@code /proc/<pid>/stat} at a short interval until the process is gone or a
 * zombie (a zombie has released its sockets, files and locks already; only
 * its parent, init, has yet to reap it). The pid is held as a
 * {@link ProcessHandle}, which carries the start time, so a recycled pid is
 * never signalled.
 */
final class DaemonProcess {

    /** A JVM start on a slow, busy 2-core machine takes seconds; recovery of a big store longer. */
    static final Duration START_DEADLINE = Duration.ofSeconds(180);
    /** SIGTERM lets kvlds finish its running batch; SIGKILL is the fallback after this. */
    static final Duration STOP_DEADLINE = Duration.ofSeconds(60);
    /** How often a process's exit is checked while awaited. */
    private static final long EXIT_POLL_NANOS = TimeUnit.MILLISECONDS.toNanos(10);

    private final Role role;
    private final Path pidFile;
    private final Path logFile;
    private final Map<String, String> environment;
    private ProcessHandle process;
    private int starts;

    DaemonProcess(Role role, Path pidFile, Path logFile, Map<String, String> environment) {
        this.role = role;
        this.pidFile = pidFile;
        this.logFile = logFile;
        this.environment = Map.copyOf(environment);
    }

    Role role() {
        return role;
    }

    Path logFile() {
        return logFile;
    }

    /**
     * Runs {@code command} (the launcher with the daemon's options, without
     * -p, which is added here) and waits until it reports the daemon ready.
     *
     * @throws DaemonStartException if the launcher fails or the pid file names no live process
     */
    void start(List<String> command) throws IOException {
        if (isRunning()) {
            throw new IllegalStateException(role + " is already running, pid " + process.pid());
        }
        Files.deleteIfExists(pidFile);
        List<String> full = new ArrayList<>(command);
        full.add("-p");
        full.add(pidFile.toString());
        starts++;
        Files.writeString(logFile, "=== start " + starts + " at " + Instant.now() + ": " + String.join(" ", full) + "\n",
                StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND);

        ProcessBuilder builder = new ProcessBuilder(full)
                .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(logFile.toFile()));
        builder.environment().putAll(environment);
        Process launcher = builder.start();
        try {
            if (!launcher.waitFor(START_DEADLINE.toMillis(), TimeUnit.MILLISECONDS)) {
                launcher.destroyForcibly();
                // The daemon may have become ready just now; never leave it behind.
                readPid().ifPresent(ProcessHandle::destroyForcibly);
                throw new DaemonStartException(role + " not ready within " + START_DEADLINE.toSeconds() + " s: "
                        + String.join(" ", full), -1);
            }
        } catch (InterruptedException e) {
            launcher.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while starting " + role, e);
        }
        int status = launcher.exitValue();
        if (status != 0) {
            throw new DaemonStartException(role + " failed to start, exit status " + status + ": "
                    + String.join(" ", full) + "\n" + logTail(20), status);
        }
        Optional<ProcessHandle> started = readPid();
        if (started.isEmpty() || !started.get().isAlive()) {
            throw new DaemonStartException(role + " launcher exited 0 but pid file " + pidFile
                    + " names no live process\n" + logTail(20), 0);
        }
        process = started.get();
    }

    private Optional<ProcessHandle> readPid() throws IOException {
        String text;
        try {
            text = Files.readString(pidFile, StandardCharsets.US_ASCII).trim();
        } catch (NoSuchFileException e) {
            return Optional.empty();
        }
        if (text.isEmpty()) {
            return Optional.empty();
        }
        try {
            return ProcessHandle.of(Long.parseLong(text));
        } catch (NumberFormatException e) {
            throw new IOException(role + " pid file " + pidFile + " holds '" + text + "', not a pid", e);
        }
    }

    /** The pid of the current (or last) incarnation; fails if it was never started. */
    long pid() {
        if (process == null) {
            throw new IllegalStateException(role + " was never started");
        }
        return process.pid();
    }

    /** True while the process started last is alive and not a zombie. */
    boolean isRunning() {
        return process != null && process.isAlive() && !isZombie(process.pid());
    }

    private static boolean isZombie(long pid) {
        try {
            String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"), StandardCharsets.US_ASCII);
            // Format: pid (comm) state ...; comm may contain spaces and parentheses, so use the last ')'.
            int close = stat.lastIndexOf(')');
            return close > 0 && close + 2 < stat.length() && stat.charAt(close + 2) == 'Z';
        } catch (IOException e) {
            // No /proc entry: gone (or not Linux, where isAlive is all there is).
            return false;
        }
    }

    /** Sends SIGTERM ({@code force} false) or SIGKILL ({@code force} true); no-op if not running. */
    void signal(boolean force) {
        if (!isRunning()) {
            return;
        }
        if (force) {
            process.destroyForcibly();
        } else {
            process.destroy();
        }
    }

    /**
     * Waits until the process has exited, at most {@code deadline}; true if it
     * has. Polls rather than waiting on {@code onExit()}: a daemon forks away
     * from its launcher, so it is not our child, and where the reaper of
     * orphans (PID 1 in a sandbox) does not reap, it stays a zombie that
     * {@code onExit()} never sees end; {@link #isRunning} counts zombies as gone.
     */
    boolean awaitExit(Duration deadline) {
        long end = System.nanoTime() + deadline.toNanos();
        while (isRunning()) {
            if (System.nanoTime() - end >= 0) {
                return false;
            }
            LockSupport.parkNanos(EXIT_POLL_NANOS);
        }
        return true;
    }

    /** SIGTERM, then SIGKILL if it has not exited within {@link #STOP_DEADLINE}; returns once it is gone. */
    void stop() {
        signal(false);
        if (!awaitExit(STOP_DEADLINE)) {
            kill();
        }
    }

    /** SIGKILL, and wait until it is gone. */
    void kill() {
        signal(true);
        if (!awaitExit(STOP_DEADLINE)) {
            throw new IllegalStateException(role + " pid " + process.pid() + " survived SIGKILL for "
                    + STOP_DEADLINE.toSeconds() + " s");
        }
    }

    /** The last {@code lines} lines of the log file. */
    String logTail(int lines) {
        try {
            List<String> all = List.of(new String(Files.readAllBytes(logFile), StandardCharsets.UTF_8).split("\n"));
            return String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
        } catch (IOException e) {
            return "(cannot read " + logFile + ": " + e.getMessage() + ")";
        }
    }
}
