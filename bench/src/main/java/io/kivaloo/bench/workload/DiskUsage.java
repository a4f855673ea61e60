package io.kivaloo.bench.workload;

import io.kivaloo.bench.data.GlibcRandom;
import io.kivaloo.bench.data.PairGroups;
import io.kivaloo.bench.data.PairMaker;
import io.kivaloo.bench.run.BenchConnection;
import io.kivaloo.bench.run.Pipeline;
import io.kivaloo.bench.run.WorkloadRun;
import io.kivaloo.proto.kvlds.Key;
import io.kivaloo.proto.kvlds.KvldsRequest;
import io.kivaloo.proto.kvlds.KvldsResponse;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;

/**
 * Not one of the C programs: sustained random updates of a fixed key set, to
 * watch how much disk the store holds while its cleaner runs (kvlds.md §10).
 * SETs of uniformly random keys of the N benchmark pairs (chosen as in
 * random_read), or of the keys in key order over and over (the order of
 * mkpairs' output, as bulk_update sends them), each with a new 40-byte
 * value, for a given time; every
 * interval one line: seconds since start, SETs per second in the interval,
 * bytes in the lbs directory, live data bytes (N × 80, the pairs' keys and
 * values) and their ratio.
 */
public final class DiskUsage implements Pipeline.Workload {

    private static final int VALUE_LENGTH = 40;

    private final long pairs;
    private final long endNanos;
    private final boolean sequential;
    /** Sequential mode: the current group of mkpairs records, and the next record in it. */
    private PairGroups groups;
    private byte[] group;
    private int nextRecord;
    private final GlibcRandom random = new GlibcRandom();
    private final PairMaker maker = new PairMaker();
    private final AtomicLong completions = new AtomicLong();
    private long sent;

    private DiskUsage(long pairs, long endNanos, boolean sequential) {
        if (pairs < 1) {
            throw new IllegalArgumentException("N: " + pairs + " (expected: >= 1)");
        }
        this.pairs = pairs;
        this.endNanos = endNanos;
        this.sequential = sequential;
    }

    /**
     * Runs for {@code seconds}, printing a line to {@code out} every
     * {@code intervalSeconds}; returns the last line's ratio.
     */
    public static double run(BenchConnection connection, long pairs, Path lbsDirectory, long seconds, long intervalSeconds,
                             boolean sequential, int maxInFlight, PrintStream out) throws IOException {
        if (!Files.isDirectory(lbsDirectory)) {
            throw new IllegalArgumentException("lbs directory " + lbsDirectory + " is not a directory");
        }
        long start = System.nanoTime();
        DiskUsage workload = new DiskUsage(pairs, start + TimeUnit.SECONDS.toNanos(seconds), sequential);
        long liveBytes = pairs * PairMaker.RECORD_LENGTH;
        double[] lastRatio = {0};
        long[] last = {start, 0};
        out.println("# seconds sets/s lbs_bytes live_bytes ratio");
        out.flush();
        ScheduledExecutorService reporter = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "disk-usage-report");
            t.setDaemon(true);
            return t;
        });
        reporter.scheduleAtFixedRate(() -> {
            long now = System.nanoTime();
            long done = workload.completions.get();
            long bytes = directoryBytes(lbsDirectory);
            double rate = (done - last[1]) / ((now - last[0]) / 1e9);
            last[0] = now;
            last[1] = done;
            lastRatio[0] = (double) bytes / liveBytes;
            out.printf("%d %.0f %d %d %.3f%n", TimeUnit.NANOSECONDS.toSeconds(now - start), rate, bytes, liveBytes, lastRatio[0]);
            out.flush();
        }, intervalSeconds, intervalSeconds, TimeUnit.SECONDS);
        try {
            WorkloadRun.run("disk-usage", connection, workload, maxInFlight, () -> "updating");
        } finally {
            reporter.shutdownNow();
        }
        return lastRatio[0];
    }

    @Override
    public KvldsRequest next() {
        if (System.nanoTime() >= endNanos) {
            return null;
        }
        long v = ++sent;
        Key key = sequential ? nextInOrder() : randomKey();
        byte[] value = new byte[VALUE_LENGTH];
        for (int i = 0; i < 8; i++) {
            value[i] = (byte) (v >>> (56 - 8 * i));
        }
        return new KvldsRequest.Set(key, Key.wrap(value));
    }

    private Key randomKey() {
        long n = random.next() % pairs;
        return Key.wrap(maker.key(n >>> 16, n & 0xFFFF));
    }

    /** The next key in key order, starting again from the first after the last. */
    private Key nextInOrder() {
        if (group == null || nextRecord * PairMaker.RECORD_LENGTH >= group.length) {
            group = groups == null ? null : groups.nextGroup();
            if (group == null) {
                groups = new PairGroups(pairs);
                group = groups.nextGroup();
            }
            nextRecord = 0;
        }
        Key key = Key.of(group, nextRecord * PairMaker.RECORD_LENGTH, PairMaker.KEY_LENGTH);
        nextRecord++;
        return key;
    }

    @Override
    public boolean completed(KvldsResponse response) {
        completions.incrementAndGet();
        return false;
    }

    private static long directoryBytes(Path directory) {
        try (Stream<Path> files = Files.list(directory)) {
            return files.mapToLong(f -> {
                try {
                    return Files.isRegularFile(f) ? Files.size(f) : 0;
                } catch (IOException e) {
                    // A file FREE deleted between the listing and the stat holds nothing any more.
                    return 0;
                }
            }).sum();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list lbs directory " + directory, e);
        }
    }
}
