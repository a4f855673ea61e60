package io.kivaloo.bench.suite;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * A fresh lbs → kvlds (→ mux) chain on Unix sockets in one directory, started
 * through the launchers as bench/bench-local.sh does: {@code lbs -b 2048} and
 * kvlds with its defaults. Works the same for our launchers (bin/kivaloo-*)
 * and the C daemons (both return once the daemon is ready and write a pid
 * file). Stopped with SIGTERM, front to back, waiting for each to exit.
 */
public final class SuiteChain implements AutoCloseable {

    /** The original benchmark script's lbs block size. */
    public static final int BLOCK_SIZE = 2048;
    private static final long STOP_TIMEOUT_SECONDS = 60;

    private final Path dir;
    private final List<Path> pidFiles = new ArrayList<>();
    private final Path clientSocket;

    private SuiteChain(Path dir, Path clientSocket) {
        this.dir = dir;
        this.clientSocket = clientSocket;
    }

    /** Which launcher directory each daemon comes from. */
    public record Binaries(Path lbs, Path kvlds, Path mux) {
    }

    /**
     * @param bin where kivaloo-lbs, kivaloo-kvlds and kivaloo-mux are
     * @param dir an empty working directory (sockets, pid files, blocks)
     */
    public static SuiteChain start(Binaries bin, Path dir, boolean mux) throws IOException {
        Files.createDirectories(dir.resolve("blocks"));
        SuiteChain chain = new SuiteChain(dir, dir.resolve(mux ? "mux.sock" : "kvlds.sock"));
        try {
            chain.launch(bin.lbs().resolve("kivaloo-lbs"), "lbs", "-s", dir.resolve("lbs.sock").toString(),
                    "-d", dir.resolve("blocks").toString(), "-b", Integer.toString(BLOCK_SIZE));
            chain.launch(bin.kvlds().resolve("kivaloo-kvlds"), "kvlds", "-s", dir.resolve("kvlds.sock").toString(),
                    "-l", dir.resolve("lbs.sock").toString());
            if (mux) {
                chain.launch(bin.mux().resolve("kivaloo-mux"), "mux", "-t", dir.resolve("kvlds.sock").toString(),
                        "-s", dir.resolve("mux.sock").toString());
            }
        } catch (IOException e) {
            chain.close();
            throw e;
        }
        return chain;
    }

    /** Where clients connect: mux if there is one, else kvlds. */
    public Path clientSocket() {
        return clientSocket;
    }

    private void launch(Path launcher, String name, String... args) throws IOException {
        Path pidFile = dir.resolve(name + ".pid");
        List<String> command = new ArrayList<>();
        command.add(launcher.toString());
        command.addAll(List.of(args));
        command.add("-p");
        command.add(pidFile.toString());
        ProcessBuilder builder = new ProcessBuilder(command).redirectOutput(ProcessBuilder.Redirect.DISCARD)
                .redirectError(ProcessBuilder.Redirect.INHERIT);
        int status;
        try {
            status = builder.start().waitFor();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while starting " + name, e);
        }
        if (status != 0) {
            throw new IOException(launcher + " exited with status " + status);
        }
        pidFiles.add(0, pidFile); // stop in reverse order of start
    }

    /** Stops every daemon (SIGTERM, then waits for it to exit) and removes the directory. */
    @Override
    public void close() throws IOException {
        IOException failure = null;
        for (Path pidFile : pidFiles) {
            try {
                stop(pidFile);
            } catch (IOException e) {
                failure = failure == null ? e : failure;
            }
        }
        pidFiles.clear();
        deleteTree(dir);
        if (failure != null) {
            throw failure;
        }
    }

    private static void stop(Path pidFile) throws IOException {
        if (!Files.exists(pidFile)) {
            return;
        }
        long pid = Long.parseLong(Files.readString(pidFile, StandardCharsets.US_ASCII).trim());
        Optional<ProcessHandle> process = ProcessHandle.of(pid);
        if (process.isEmpty()) {
            return;
        }
        process.get().destroy();
        try {
            process.get().onExit().get(STOP_TIMEOUT_SECONDS, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new IOException("daemon pid " + pid + " (" + pidFile.getFileName() + ") did not exit after SIGTERM", e);
        }
    }

    private static void deleteTree(Path root) throws IOException {
        if (!Files.exists(root)) {
            return;
        }
        try (var paths = Files.walk(root)) {
            for (Path p : (Iterable<Path>) paths.sorted(java.util.Comparator.reverseOrder())::iterator) {
                Files.deleteIfExists(p);
            }
        }
    }
}
