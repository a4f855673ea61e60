package io.kivaloo.bench.suite;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * A fresh lbs → kvlds (→ mux) chain on Unix sockets in one directory, started
 * through the launchers as bench/bench-local.sh does: {@code lbs -b 2048} and
 * kvlds with its defaults. Works the same for our launchers (bin/kivaloo-*)
 * and the C daemons (both return once the daemon is ready and write a pid
 * file). Stopped with SIGTERM, front to back, waiting for each to exit.
 *
 * <p>A {@link Launch} varies how our daemons run without changing the
 * launchers: another JDK or JVM options (the launchers' JAVA_HOME and
 * KIVALOO_JAVA_OPTS), options of kvlds's own (e.g. {@code --max-span 0}, to
 * measure what a default costs), and {@code --metrics-listen} on a loopback
 * port for each daemon, to measure what serving and scraping /metrics costs.
 */
public final class SuiteChain implements AutoCloseable {

    /** The original benchmark script's lbs block size. */
    public static final int BLOCK_SIZE = 2048;
    private static final long STOP_TIMEOUT_SECONDS = 60;

    private final Path dir;
    private final List<Path> pidFiles = new ArrayList<>();
    private final List<Integer> metricsPorts = new ArrayList<>();
    private final Path clientSocket;
    private final Launch how;

    private SuiteChain(Path dir, Path clientSocket, Launch how) {
        this.dir = dir;
        this.clientSocket = clientSocket;
        this.how = how;
    }

    /** Which launcher directory each daemon comes from. */
    public record Binaries(Path lbs, Path kvlds, Path mux) {
    }

    /**
     * How the daemons are launched.
     *
     * @param environment added to each launcher's environment (JAVA_HOME, KIVALOO_JAVA_OPTS)
     * @param metrics     give each daemon {@code --metrics-listen 127.0.0.1:<free port>} (our daemons only)
     * @param kvldsArgs   more command-line options for kvlds (our kvlds only)
     */
    public record Launch(Map<String, String> environment, boolean metrics, List<String> kvldsArgs) {
        public static final Launch PLAIN = new Launch(Map.of(), false, List.of());

        public Launch {
            environment = Map.copyOf(environment);
            kvldsArgs = List.copyOf(kvldsArgs);
        }
    }

    /**
     * @param bin where kivaloo-lbs, kivaloo-kvlds and kivaloo-mux are
     * @param dir an empty working directory (sockets, pid files, blocks)
     */
    public static SuiteChain start(Binaries bin, Launch how, Path dir, boolean mux) throws IOException {
        Files.createDirectories(dir.resolve("blocks"));
        SuiteChain chain = new SuiteChain(dir, dir.resolve(mux ? "mux.sock" : "kvlds.sock"), how);
        try {
            chain.launch(bin.lbs().resolve("kivaloo-lbs"), "lbs", "-s", dir.resolve("lbs.sock").toString(),
                    "-d", dir.resolve("blocks").toString(), "-b", Integer.toString(BLOCK_SIZE));
            List<String> kvlds = new ArrayList<>(List.of("-s", dir.resolve("kvlds.sock").toString(),
                    "-l", dir.resolve("lbs.sock").toString()));
            kvlds.addAll(how.kvldsArgs());
            chain.launch(bin.kvlds().resolve("kivaloo-kvlds"), "kvlds", kvlds.toArray(new String[0]));
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

    /** The loopback ports the daemons serve /metrics on (none unless the launch asked for metrics). */
    public List<Integer> metricsPorts() {
        return List.copyOf(metricsPorts);
    }

    private void launch(Path launcher, String name, String... args) throws IOException {
        Path pidFile = dir.resolve(name + ".pid");
        List<String> command = new ArrayList<>();
        command.add(launcher.toString());
        command.addAll(List.of(args));
        command.add("-p");
        command.add(pidFile.toString());
        if (how.metrics()) {
            int port = freeLoopbackPort();
            command.add("--metrics-listen");
            command.add("127.0.0.1:" + port);
            metricsPorts.add(port);
        }
        ProcessBuilder builder = new ProcessBuilder(command).redirectOutput(ProcessBuilder.Redirect.DISCARD)
                .redirectError(ProcessBuilder.Redirect.INHERIT);
        builder.environment().putAll(how.environment());
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

    /** A port nobody listens on now; the daemon binds it a moment later (a benchmark can live with that race). */
    private static int freeLoopbackPort() throws IOException {
        try (java.net.ServerSocket socket = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
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
