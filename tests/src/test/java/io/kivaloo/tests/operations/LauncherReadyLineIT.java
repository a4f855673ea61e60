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
 * The launcher's wait for the daemon's "ready" line survives the line
 * arriving across one of its one-second read timeouts. A loaded machine made
 * this happen in CI: bash had read "re" when the timeout fired, then read
 * "ady", and the launcher waited for a daemon that was long since ready. A
 * stand-in for java (JAVA_HOME pointing at a script) writes the line in two
 * parts, 1.5 s apart, so the split happens on every run.
 */
class LauncherReadyLineIT {

    /** The stand-in keeps running this long if the launcher never returns; the test fails well before. */
    private static final int STAND_IN_LIFETIME_SECONDS = 60;
    private static final long LAUNCHER_DEADLINE_SECONDS = 30;

    @TempDir
    Path directory;

    @Test
    void aReadyLineSplitAcrossTheReadTimeoutStillCounts() throws Exception {
        DaemonBinaries binaries = DaemonBinaries.fromSystemProperties();
        Path launcher = binaries.root().resolve("bin").resolve("kivaloo-mux");
        Path jar = binaries.root().resolve("mux").resolve("target").resolve("kivaloo-mux.jar");
        org.junit.jupiter.api.Assumptions.assumeTrue(Files.isRegularFile(jar), "mux is not built");
        Path pidFile = directory.resolve("stand-in.pid");
        Path javaHome = standInJavaHome(pidFile);

        ProcessBuilder builder = new ProcessBuilder(launcher.toString(), "-t", "/nowhere.sock", "-s", "/nowhere2.sock")
                .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")))
                .redirectOutput(directory.resolve("stdout.txt").toFile())
                .redirectError(directory.resolve("stderr.txt").toFile());
        builder.environment().put("JAVA_HOME", javaHome.toString());
        Process process = builder.start();
        try {
            boolean exited = process.waitFor(LAUNCHER_DEADLINE_SECONDS, TimeUnit.SECONDS);
            assertThat(exited).as("launcher returned once the whole ready line had arrived").isTrue();
            assertThat(process.exitValue()).as("launcher exit status; stderr: "
                    + Files.readString(directory.resolve("stderr.txt"))).isZero();
        } finally {
            process.destroyForcibly();
            standInPid(pidFile).ifPresent(ProcessHandle::destroyForcibly);
        }
    }

    /** A JAVA_HOME whose bin/java writes "re", waits 1.5 s, writes "ady\n", then stays alive. */
    private Path standInJavaHome(Path pidFile) throws IOException {
        Path bin = Files.createDirectories(directory.resolve("java-home").resolve("bin"));
        Path java = bin.resolve("java");
        String script = String.join("\n",
                "#!/usr/bin/env bash",
                "echo $$ > '" + pidFile + "'",
                "for arg in \"$@\"; do",
                "    case $arg in -Dkivaloo.ready=*) fifo=${arg#-Dkivaloo.ready=} ;; esac",
                "done",
                "exec 4>\"$fifo\"",
                "printf re >&4",
                "sleep 1.5",
                "printf 'ady\\n' >&4",
                "exec 4>&-",
                "exec sleep " + STAND_IN_LIFETIME_SECONDS,
                "");
        Files.writeString(java, script, StandardCharsets.US_ASCII);
        Files.setPosixFilePermissions(java, PosixFilePermissions.fromString("rwxr-xr-x"));
        return java.getParent().getParent();
    }

    private static Optional<ProcessHandle> standInPid(Path pidFile) throws IOException {
        if (!Files.exists(pidFile)) {
            return Optional.empty();
        }
        String text = Files.readString(pidFile, StandardCharsets.US_ASCII).trim();
        return text.isEmpty() ? Optional.empty() : ProcessHandle.of(Long.parseLong(text));
    }
}
