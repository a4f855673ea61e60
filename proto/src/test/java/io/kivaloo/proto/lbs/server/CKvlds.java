package io.kivaloo.proto.lbs.server;

import io.kivaloo.proto.daemon.CKivalooBinaries;
import io.kivaloo.proto.net.KivalooAddress;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The original C kvlds as a test peer of an LBS server (lbs, lbs-s3), found
 * by {@link CKivalooBinaries}; a test that needs it is skipped, with a
 * message, when it is absent.
 */
public final class CKvlds {

    private static final long DEADLINE_SECONDS = 60;

    private CKvlds() {
    }

    /** The binary ({@link CKivalooBinaries}), or the calling test is skipped. */
    public static Path binary() {
        return CKivalooBinaries.require("kivaloo-kvlds");
    }

    /**
     * Starts the C kvlds on {@code lbs}; it detaches once ready and its
     * launcher exits 0. Returns the daemon's pid. The C daemons never unlink
     * their socket and fail to bind on a stale one, so it goes first.
     */
    public static long start(Path kvlds, String socket, KivalooAddress lbs, Path pidFile) throws Exception {
        Files.deleteIfExists(pidFile);
        Files.deleteIfExists(Path.of(socket));
        // To a file, not a pipe: the detached daemon keeps the launcher's stdout and stderr open.
        Path log = pidFile.resolveSibling(pidFile.getFileName() + ".log");
        Process launcher = new ProcessBuilder(kvlds.toString(), "-s", socket, "-l", lbs.text(), "-p", pidFile.toString())
                .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile())).start();
        assertThat(launcher.waitFor(DEADLINE_SECONDS, TimeUnit.SECONDS)).as("C kvlds started").isTrue();
        String output = Files.readString(log, StandardCharsets.UTF_8);
        assertThat(launcher.exitValue()).as("C kvlds exit status; output: %s", output).isZero();
        return Long.parseLong(Files.readString(pidFile).trim());
    }

    /** SIGTERM, and waits until it has exited. */
    public static void stop(long pid) throws Exception {
        Optional<ProcessHandle> handle = ProcessHandle.of(pid);
        if (handle.isPresent()) {
            handle.get().destroy();
            handle.get().onExit().get(DEADLINE_SECONDS, TimeUnit.SECONDS);
        }
    }
}
