package io.kivaloo.mux;

import io.kivaloo.proto.daemon.CKivalooBinaries;
import io.kivaloo.proto.net.KivalooAddress;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The original C lbs and kvlds (../shared/c-kivaloo/bin, or the directory
 * named by the system property {@code kivaloo.c.bin}) as the real target of
 * mux. They daemonize and write pid files; they are stopped through those.
 * Tests using this are skipped, with a message, where the binaries are absent.
 */
final class CChain implements AutoCloseable {

    private final Path bin;
    private final Path dir;
    private final List<Path> pidFiles = new ArrayList<>();
    final Path lbsSocket;
    final Path kvldsSocket;

    private CChain(Path bin, Path dir) {
        this.bin = bin;
        this.dir = dir;
        this.lbsSocket = dir.resolve("lbs");
        this.kvldsSocket = dir.resolve("kvlds");
    }

    /** Starts lbs (-b 512 -L, as the original mux test) and kvlds in {@code dir}, or skips the test. */
    static CChain start(Path dir) throws Exception {
        Path bin = findBinaries();
        assumeTrue(bin != null, "C kivaloo binaries not found (shared/c-kivaloo/bin beside the repository, or -D"
                + CKivalooBinaries.PROPERTY + "=<dir>): skipping");
        CChain chain = new CChain(bin, dir);
        Path data = Files.createDirectories(dir.resolve("lbs-data"));
        chain.run("kivaloo-lbs", "-s", chain.lbsSocket.toString(), "-d", data.toString(), "-b", "512", "-L",
                "-p", dir.resolve("lbs.pid").toString());
        chain.pidFiles.add(dir.resolve("lbs.pid"));
        chain.startKvlds();
        return chain;
    }

    private static Path findBinaries() {
        return CKivalooBinaries.find("kivaloo-kvlds").isPresent() && CKivalooBinaries.find("kivaloo-lbs").isPresent()
                ? CKivalooBinaries.directory().orElseThrow() : null;
    }

    KivalooAddress kvldsAddress() {
        return KivalooAddress.parse(kvldsSocket.toString());
    }

    void startKvlds() throws Exception {
        Files.deleteIfExists(kvldsSocket); // the C daemons never unlink their socket (wire.md §5)
        run("kivaloo-kvlds", "-s", kvldsSocket.toString(), "-l", lbsSocket.toString(), "-p", dir.resolve("kvlds.pid").toString());
        if (!pidFiles.contains(dir.resolve("kvlds.pid"))) {
            pidFiles.add(dir.resolve("kvlds.pid"));
        }
    }

    /** SIGTERM to kvlds, which dies at once; waits until it has. */
    void killKvlds() throws Exception {
        kill(dir.resolve("kvlds.pid"));
    }

    private void run(String program, String... args) throws Exception {
        List<String> command = new ArrayList<>();
        command.add(bin.resolve(program).toString());
        command.addAll(List.of(args));
        // The daemon keeps the launcher's stdout and stderr open (wire.md §6): a pipe would never see EOF.
        Path log = dir.resolve(program + ".out");
        Process p = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile())).start();
        if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
            p.destroy();
            throw new IOException(program + " failed to start: " + Files.readString(log, StandardCharsets.UTF_8));
        }
    }

    private static void kill(Path pidFile) throws Exception {
        if (!Files.exists(pidFile)) {
            return;
        }
        long pid = Long.parseLong(Files.readString(pidFile).trim());
        Files.delete(pidFile);
        ProcessHandle handle = ProcessHandle.of(pid).orElse(null);
        if (handle != null) {
            handle.destroy();
            handle.onExit().get(30, TimeUnit.SECONDS);
        }
    }

    @Override
    public void close() throws Exception {
        for (int i = pidFiles.size() - 1; i >= 0; i--) {
            kill(pidFiles.get(i));
        }
    }
}
