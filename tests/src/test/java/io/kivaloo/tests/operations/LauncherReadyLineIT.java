package io.kivaloo.tests.operations;

import io.kivaloo.tests.chain.DaemonBinaries;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The launcher's wait for the daemon's "ready" line: however the line arrives,
 * the launcher returns once it is whole, and a daemon that dies before it is
 * ready ends the launcher with the daemon's status. A stand-in for java
 * (JAVA_HOME pointing at a script) plays the daemon.
 *
 * <p>History: a loaded CI machine once read "re" when the launcher's
 * one-second read timeout fired and then "ady" (fixed by keeping the partial
 * line); a kill -9 run later left a ready mux's launcher waiting forever
 * because bash's timed read dropped the newline that arrived as the timeout
 * fired (a loop of `read -t 0.0001` on a FIFO merged 47 of 3,000 lines here).
 * The launcher now reads without a timeout and a watcher reports a dead
 * daemon on the same FIFO; that race cannot be forced from outside, so these
 * tests pin the behaviour around it: a line written a byte at a time across
 * many seconds, and a daemon that dies in the middle of its line.
 */
class LauncherReadyLineIT {

    /** The stand-in keeps running this long if the launcher never returns; the test fails well before. */
    private static final int STAND_IN_LIFETIME_SECONDS = 60;
    private static final long LAUNCHER_DEADLINE_SECONDS = 30;

    @TempDir
    Path directory;

    @Test
    void aReadyLineSplitAcrossTheReadTimeoutStillCounts() throws Exception {
        Process launcher = launch(String.join("\n",
                "printf re >&4",
                "sleep 1.5",
                "printf 'ady\\n' >&4"));
        assertLauncherExits(launcher, 0);
    }

    @Test
    void aReadyLineWrittenAByteAtATimeOverSeveralSecondsCounts() throws Exception {
        Process launcher = launch(String.join("\n",
                "for part in r e a d y; do printf $part >&4; sleep 0.7; done",
                "printf '\\n' >&4"));
        assertLauncherExits(launcher, 0);
    }

    @Test
    void aDaemonThatDiesInTheMiddleOfItsLineEndsTheLauncherWithItsStatus() throws Exception {
        Process launcher = launch(String.join("\n",
                "printf rea >&4",
                "exit 3"));
        assertLauncherExits(launcher, 3);
    }

    private Process launch(String writesToTheReadyFifo) throws IOException {
        DaemonBinaries binaries = DaemonBinaries.fromSystemProperties();
        // lbs's launcher runs java once, as the daemon; mux's first asks java whether it knows an
        // option, and the stand-in would answer that call as if it were the daemon.
        Path launcher = binaries.root().resolve("bin").resolve("kivaloo-lbs");
        Path jar = binaries.root().resolve("lbs").resolve("target").resolve("kivaloo-lbs.jar");
        org.junit.jupiter.api.Assumptions.assumeTrue(Files.isRegularFile(jar), "lbs is not built");
        Path javaHome = standInJavaHome(writesToTheReadyFifo);
        ProcessBuilder builder = new ProcessBuilder(launcher.toString(), "-s", "/nowhere.sock", "-d", "/nowhere", "-b", "4096")
                .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")))
                .redirectOutput(directory.resolve("stdout.txt").toFile())
                .redirectError(directory.resolve("stderr.txt").toFile());
        builder.environment().put("JAVA_HOME", javaHome.toString());
        return builder.start();
    }

    private void assertLauncherExits(Process launcher, int expectedStatus) throws Exception {
        try {
            boolean exited = launcher.waitFor(LAUNCHER_DEADLINE_SECONDS, TimeUnit.SECONDS);
            assertThat(exited).as("launcher returned").isTrue();
            assertThat(launcher.exitValue()).as("launcher exit status; stderr: "
                    + Files.readString(directory.resolve("stderr.txt"))).isEqualTo(expectedStatus);
        } finally {
            launcher.destroyForcibly();
            standInPid().ifPresent(ProcessHandle::destroyForcibly);
        }
    }

    /** A JAVA_HOME whose bin/java runs the given lines with fd 4 open on the ready FIFO, then stays alive. */
    private Path standInJavaHome(String writesToTheReadyFifo) throws IOException {
        Path bin = Files.createDirectories(directory.resolve("java-home").resolve("bin"));
        Path java = bin.resolve("java");
        String script = String.join("\n",
                "#!/usr/bin/env bash",
                "echo $$ > '" + pidFile() + "'",
                "for arg in \"$@\"; do",
                "    case $arg in -Dkivaloo.ready=*) fifo=${arg#-Dkivaloo.ready=} ;; esac",
                "done",
                "exec 4>\"$fifo\"",
                writesToTheReadyFifo,
                "exec 4>&-",
                "exec sleep " + STAND_IN_LIFETIME_SECONDS,
                "");
        Files.writeString(java, script, StandardCharsets.US_ASCII);
        Files.setPosixFilePermissions(java, PosixFilePermissions.fromString("rwxr-xr-x"));
        return java.getParent().getParent();
    }

    private Path pidFile() {
        return directory.resolve("stand-in.pid");
    }

    private Optional<ProcessHandle> standInPid() throws IOException {
        Path pidFile = pidFile();
        if (!Files.exists(pidFile)) {
            return Optional.empty();
        }
        String text = Files.readString(pidFile, StandardCharsets.US_ASCII).trim();
        return text.isEmpty() ? Optional.empty() : ProcessHandle.of(Long.parseLong(text));
    }
}
