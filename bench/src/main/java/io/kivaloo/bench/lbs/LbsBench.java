package io.kivaloo.bench.lbs;

import io.kivaloo.bench.ProjectRoot;
import io.kivaloo.proto.client.LbsClient;
import io.kivaloo.proto.daemon.DaemonCommandLine;
import io.kivaloo.proto.daemon.VersionProvider;
import io.kivaloo.proto.lbs.LbsResponse;
import io.kivaloo.proto.net.KivalooAddress;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;

/**
 * Throughput of lbs against the machine's raw limit, measured the same way
 * (DESIGN.md "Performance"), alternating raw and lbs runs so that drift on a shared disk cancels out:
 * <ul>
 *   <li>raw: a loop of write + fsync (and + fdatasync) of 4 KiB and of 1 MiB
 *       to a file in the bench directory;</li>
 *   <li>lbs: APPEND of one 4 KiB block at a time, each waited for (an APPEND
 *       cannot be pipelined: the next must start where this one ends), with
 *       fsync; APPEND of 256 such blocks (1 MiB) at a time; GETs of 2 KiB
 *       blocks from the page cache, 1024 kept in flight.</li>
 * </ul>
 * Our lbs runs as a daemon started by its launcher, over a Unix socket; with
 * {@code --c-lbs} the original C lbs is measured too, started the same way
 * and with the same client, for a ratio that does not depend on the machine.
 *
 * <pre>
 * java -cp 'bench/target/kivaloo-bench.jar:bench/target/lib/*' io.kivaloo.bench.lbs.LbsBench \
 *     [--dir DIR] [--seconds S] [--rounds N] [--lbs bin/kivaloo-lbs] [--c-lbs ../shared/c-kivaloo/bin/kivaloo-lbs]
 * </pre>
 * MB is 10^6 bytes. The directory (default: a new one under the current
 * directory) must be on the disk being measured; everything written is
 * removed at the end.
 */
public final class LbsBench {

    private static final int KIB = 1024;
    private static final int APPEND_BLOCK = 4 * KIB;
    private static final int BATCH_BLOCKS = 256;
    private static final int GET_BLOCK = 2 * KIB;
    private static final int GET_STORE_BLOCKS = 16384;
    private static final int GET_WINDOW = 1024;
    private static final long WARMUP_NANOS = TimeUnit.SECONDS.toNanos(1);

    private final Path root;
    private final Path sockets;
    private final long measureNanos;

    private LbsBench(Path root, Path sockets, long seconds) {
        this.root = root;
        this.sockets = sockets;
        this.measureNanos = TimeUnit.SECONDS.toNanos(seconds);
    }

    public static void main(String[] args) {
        System.exit(DaemonCommandLine.execute("LbsBench", new Options(), args));
    }

    @Command(name = "LbsBench", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
            description = "APPEND and GET throughput of lbs against raw write+fsync loops (lbs/DESIGN.md \"Performance\").")
    static final class Options implements Callable<Integer> {
        @Option(names = "--dir", paramLabel = "<dir>",
                description = "Where to write, on the disk being measured (default: a new directory under the current one).")
        Path dir;

        @Option(names = "--seconds", paramLabel = "<s>", defaultValue = "5", description = "Measured seconds per run (default: ${DEFAULT-VALUE}).")
        long seconds;

        @Option(names = "--rounds", paramLabel = "<n>", defaultValue = "3",
                description = "Rounds of raw and lbs APPEND runs, alternating (default: ${DEFAULT-VALUE}).")
        int rounds;

        @Option(names = "--c-lbs", paramLabel = "<binary>", description = "Measure this C kivaloo-lbs too, with the same client.")
        Path cLbs;

        @Option(names = "--lbs", paramLabel = "<launcher>",
                description = "Our lbs launcher (default: bin/kivaloo-lbs of this build).")
        Path lbs;

        @Spec
        CommandSpec spec;

        @Override
        public Integer call() throws Exception {
            if (seconds < 1 || rounds < 1) {
                throw new ParameterException(spec.commandLine(), "need --seconds >= 1 and --rounds >= 1");
            }
            run(dir, seconds, rounds, lbs != null ? lbs : ProjectRoot.find().resolve("bin").resolve("kivaloo-lbs"), cLbs);
            return 0;
        }
    }

    private static void run(Path dir, long seconds, int rounds, Path javaLbs, Path cLbs) throws Exception {
        Path root = Files.createTempDirectory(dir != null ? dir : Path.of("."), "lbs-bench-").toAbsolutePath();
        // Sockets live under the system temporary directory: a Unix socket path holds at most 107 bytes.
        Path sockets = Files.createTempDirectory("lbsb");
        LbsBench bench = new LbsBench(root, sockets, seconds);
        Map<String, Starter> targets = new LinkedHashMap<>();
        targets.put("java", (d, socket, blockSize) -> startLbs(javaLbs, d, socket, blockSize));
        if (cLbs != null) {
            targets.put("c", (d, socket, blockSize) -> startLbs(cLbs, d, socket, blockSize));
        }
        try {
            bench.appends(targets, rounds);
            for (Map.Entry<String, Starter> target : targets.entrySet()) {
                bench.gets(target.getKey(), target.getValue());
            }
        } finally {
            deleteTree(root);
            deleteTree(sockets);
        }
    }

    // ---- APPEND against the raw limit ----

    /**
     * Alternates raw loops and lbs APPENDs, round after round, and compares
     * each lbs figure with the raw figure measured just before it: on a
     * shared machine the disk's speed drifts from minute to minute.
     */
    private void appends(Map<String, Starter> starters, int rounds) throws Exception {
        Map<String, Target> targets = new LinkedHashMap<>();
        Map<String, List<Double>> ratios = new TreeMap<>();
        try {
            for (Map.Entry<String, Starter> starter : starters.entrySet()) {
                targets.put(starter.getKey(), new Target(starter.getValue(), "append-" + starter.getKey(), APPEND_BLOCK));
            }
            rawLoop(APPEND_BLOCK, false, "raw write+fdatasync 4 KiB");
            byte[] one = randomBytes(APPEND_BLOCK);
            byte[] batch = randomBytes(BATCH_BLOCKS * APPEND_BLOCK);
            for (int round = 1; round <= rounds; round++) {
                System.out.println("-- round " + round);
                double raw4k = rawLoop(APPEND_BLOCK, true, "raw write+fsync 4 KiB");
                double reserved4k = rawLoop(APPEND_BLOCK, true, "raw write+fsync 4 KiB into zeros", true);
                for (Map.Entry<String, Target> target : targets.entrySet()) {
                    double rate = target.getValue().appendRate(1, one);
                    double ratio = rate / raw4k;
                    ratios.computeIfAbsent(target.getKey() + " APPEND 1 x 4 KiB / raw 4 KiB", k -> new ArrayList<>()).add(ratio);
                    ratios.computeIfAbsent(target.getKey() + " APPEND 1 x 4 KiB / raw 4 KiB into zeros",
                            k -> new ArrayList<>()).add(rate / reserved4k);
                    print(target.getKey() + " APPEND 1 x 4 KiB", rate, rate * APPEND_BLOCK,
                            String.format("%5.1f%% of raw", 100 * ratio));
                }
                double raw1m = rawLoop(batch.length, true, "raw write+fsync 1 MiB");
                for (Map.Entry<String, Target> target : targets.entrySet()) {
                    double rate = target.getValue().appendRate(BATCH_BLOCKS, batch);
                    double ratio = rate / raw1m;
                    ratios.computeIfAbsent(target.getKey() + " APPEND 256 x 4 KiB / raw 1 MiB", k -> new ArrayList<>()).add(ratio);
                    print(target.getKey() + " APPEND 256 x 4 KiB", rate, rate * batch.length,
                            String.format("%5.1f%% of raw", 100 * ratio));
                }
            }
        } finally {
            for (Target target : targets.values()) {
                target.close();
            }
        }
        System.out.println("-- median over " + rounds + " rounds");
        for (Map.Entry<String, List<Double>> ratio : ratios.entrySet()) {
            List<Double> sorted = new ArrayList<>(ratio.getValue());
            Collections.sort(sorted);
            System.out.printf("%-44s %5.1f%%%n", ratio.getKey(), 100 * sorted.get(sorted.size() / 2));
        }
    }

    /** Appends {@code size} bytes and syncs, in a loop; returns operations per second. */
    private double rawLoop(int size, boolean metadata, String label) throws IOException {
        return rawLoop(size, metadata, label, false);
    }

    /**
     * Appends {@code size} bytes and syncs, in a loop; returns operations per
     * second. With {@code intoZeros} the loop keeps 1 MiB of zeros written
     * ahead of its data, as lbs does for small APPENDs (DESIGN.md "Zero
     * reserve"), so that most writes overwrite allocated blocks: the disk's
     * limit for the way lbs writes, counted with the zeros' cost.
     */
    private double rawLoop(int size, boolean metadata, String label, boolean intoZeros) throws IOException {
        Path file = root.resolve("raw");
        ByteBuffer buffer = ByteBuffer.allocateDirect(size);
        new Random(1).ints(size).forEach(b -> buffer.put((byte) b));
        ByteBuffer zeros = ByteBuffer.allocateDirect(1 << 20);
        double rate;
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
            long position = 0;
            long reserved = 0;
            long start = System.nanoTime();
            long measureFrom = start + WARMUP_NANOS;
            long ops = 0;
            long now;
            while ((now = System.nanoTime()) < measureFrom + measureNanos) {
                buffer.clear();
                while (buffer.hasRemaining()) {
                    position += channel.write(buffer, position);
                }
                if (intoZeros && position > reserved) {
                    zeros.clear();
                    while (zeros.hasRemaining()) {
                        channel.write(zeros, position + zeros.position());
                    }
                    reserved = position + zeros.capacity();
                }
                channel.force(metadata);
                if (now >= measureFrom) {
                    ops++;
                }
            }
            rate = ops * 1e9 / measureNanos;
        } finally {
            Files.deleteIfExists(file);
        }
        print(label, rate, rate * size, "");
        return rate;
    }

    // ---- the daemons ----

    /** Ours and the C lbs alike: the launcher returns once the daemon is ready and leaves its pid in a file. */
    private static Running startLbs(Path binary, Path dir, Path socket, int blockSize)
            throws IOException, InterruptedException {
        Path pidFile = dir.resolveSibling(dir.getFileName() + ".pid");
        Process launcher = new ProcessBuilder(binary.toString(), "-s", socket.toString(), "-d", dir.toString(),
                "-b", Integer.toString(blockSize), "-p", pidFile.toString()).inheritIO().start();
        if (launcher.waitFor() != 0) {
            throw new IOException(binary + " did not start: status " + launcher.exitValue());
        }
        long pid = Long.parseLong(Files.readString(pidFile, StandardCharsets.US_ASCII).trim());
        return () -> {
            ProcessHandle.of(pid).ifPresent(p -> {
                p.destroy();
                p.onExit().join();
            });
            Files.deleteIfExists(socket);
        };
    }

    @FunctionalInterface
    private interface Starter {
        Running start(Path dir, Path socket, int blockSize) throws IOException, InterruptedException;
    }

    /** An lbs started for one measurement. */
    @FunctionalInterface
    private interface Running {
        void stop() throws IOException;
    }

    // ---- GET ----

    private void gets(String name, Starter starter) throws Exception {
        try (Target target = new Target(starter, "get-" + name, GET_BLOCK)) {
            LbsClient client = target.client;
            byte[] fill = randomBytes(512 * GET_BLOCK);
            for (long b = 0; b < GET_STORE_BLOCKS; b += 512) {
                target.append(512, fill);
            }
            for (long b = 0; b < GET_STORE_BLOCKS; b++) {
                client.get(b); // into the page cache
            }
            client.get(0).get();
            double rate = pipelinedGets(client);
            print(name + " GET 2 KiB, 1024 in flight", rate, rate * GET_BLOCK, "");
        }
    }

    private double pipelinedGets(LbsClient client) throws Exception {
        AtomicLong counted = new AtomicLong();
        long measureFrom = System.nanoTime() + WARMUP_NANOS;
        long end = measureFrom + measureNanos;
        CompletableFuture<?>[] chains = new CompletableFuture<?>[GET_WINDOW];
        for (int i = 0; i < GET_WINDOW; i++) {
            CompletableFuture<Void> chain = new CompletableFuture<>();
            chains[i] = chain;
            getChain(client, new Random(i), counted, measureFrom, end, chain);
        }
        CompletableFuture.allOf(chains).get();
        return counted.get() * 1e9 / measureNanos;
    }

    private void getChain(LbsClient client, Random random, AtomicLong counted, long measureFrom, long end,
                          CompletableFuture<Void> chain) {
        client.get(random.nextInt(GET_STORE_BLOCKS)).whenComplete((got, error) -> {
            long now = System.nanoTime();
            if (error != null || !got.present()) {
                chain.completeExceptionally(error != null ? error : new IOException("block absent"));
                return;
            }
            if (now >= measureFrom && now < end) {
                counted.incrementAndGet();
            }
            if (now >= end) {
                chain.complete(null);
            } else {
                getChain(client, random, counted, measureFrom, end, chain);
            }
        });
    }

    /** One lbs and a connection to it. */
    private final class Target implements AutoCloseable {
        final Running server;
        final LbsClient client;
        /** Written by one APPEND's callback, read by the next: ordered by the futures. */
        private volatile long next;

        Target(Starter starter, String name, int blockSize) throws Exception {
            Path dir = Files.createDirectory(root.resolve(name));
            Path socket = sockets.resolve(name + ".sock");
            server = starter.start(dir, socket, blockSize);
            client = LbsClient.connect(KivalooAddress.parse(socket.toString())).get(60, TimeUnit.SECONDS);
            next = client.params().get(60, TimeUnit.SECONDS).nextBlock();
        }

        /**
         * APPENDs back to back for the warm-up and the measured window;
         * returns APPENDs per second. Each is sent from the callback of the
         * previous one's answer (APPENDs cannot be pipelined), on the
         * client's event loop, as kvlds does: no extra thread hand-off.
         */
        double appendRate(int count, byte[] data) throws Exception {
            long measureFrom = System.nanoTime() + WARMUP_NANOS;
            long end = measureFrom + measureNanos;
            AtomicLong ops = new AtomicLong();
            CompletableFuture<Void> done = new CompletableFuture<>();
            appendChain(count, data, measureFrom, end, ops, done);
            done.get();
            return ops.get() * 1e9 / measureNanos;
        }

        private void appendChain(int count, byte[] data, long measureFrom, long end, AtomicLong ops,
                                 CompletableFuture<Void> done) {
            client.append(next, count, data).whenComplete((answer, error) -> {
                long now = System.nanoTime();
                if (error != null || !answer.accepted()) {
                    done.completeExceptionally(error != null ? error : new IOException("APPEND refused at block " + next));
                    return;
                }
                next = answer.nextBlock();
                if (now >= measureFrom && now < end) {
                    ops.incrementAndGet();
                }
                if (now >= end) {
                    done.complete(null);
                } else {
                    appendChain(count, data, measureFrom, end, ops, done);
                }
            });
        }

        /** One APPEND at the next block, waited for: APPENDs cannot be pipelined. */
        void append(int count, byte[] data) throws Exception {
            LbsResponse.Append done = client.append(next, count, data).get(60, TimeUnit.SECONDS);
            if (!done.accepted()) {
                throw new IOException("APPEND refused at block " + next);
            }
            next = done.nextBlock();
        }

        @Override
        public void close() throws IOException {
            client.close();
            client.closeFuture().orTimeout(60, TimeUnit.SECONDS).join();
            server.stop();
        }
    }

    private static byte[] randomBytes(int n) {
        byte[] data = new byte[n];
        new Random(n).nextBytes(data);
        return data;
    }

    private static void print(String label, double opsPerSecond, double bytesPerSecond, String note) {
        System.out.printf("%-30s %10.0f ops/s %9.1f MB/s  %s%n", label, opsPerSecond, bytesPerSecond / 1e6, note);
        System.out.flush();
    }

    private static void deleteTree(Path root) throws IOException {
        try (Stream<Path> paths = Files.walk(root)) {
            for (Path p : (Iterable<Path>) paths.sorted(Comparator.reverseOrder())::iterator) {
                Files.deleteIfExists(p);
            }
        }
    }
}
