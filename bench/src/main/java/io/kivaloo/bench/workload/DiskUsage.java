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
 * values) and their ratio. With {@code mixed}, half the requests are GETs of
 * the same random keys in random_mixed's pattern (GET, GET, SET, SET, …), so
 * that the load is that benchmark's and the SETs/s of every interval shows
 * whether cleaning stalls writes; a last column gives the GETs/s.
 */
public final class DiskUsage implements Pipeline.Workload {

    private static final int VALUE_LENGTH = 40;

    private final long pairs;
    private final long endNanos;
    private final boolean sequential;
    private final boolean mixed;
    /** Sequential mode: the current group of mkpairs records, and the next record in it. */
    private PairGroups groups;
    private byte[] group;
    private int nextRecord;
    private final GlibcRandom random = new GlibcRandom();
    private final PairMaker maker = new PairMaker();
    private final AtomicLong completions = new AtomicLong();
    private final AtomicLong getCompletions = new AtomicLong();
    private long sent;

    private DiskUsage(long pairs, long endNanos, boolean sequential, boolean mixed) {
        if (pairs < 1) {
            throw new IllegalArgumentException("N: " + pairs + " (expected: >= 1)");
        }
        this.pairs = pairs;
        this.endNanos = endNanos;
        this.sequential = sequential;
        this.mixed = mixed;
    }

    /**
     * Runs for {@code seconds}, printing a line to {@code out} every
     * {@code intervalSeconds}; returns the last line's ratio.
     */
    public static double run(BenchConnection connection, long pairs, Path lbsDirectory, long seconds, long intervalSeconds,
                             boolean sequential, boolean mixed, int maxInFlight, PrintStream out) throws IOException {
        if (!Files.isDirectory(lbsDirectory)) {
            throw new IllegalArgumentException("lbs directory " + lbsDirectory + " is not a directory");
        }
        long start = System.nanoTime();
        DiskUsage workload = new DiskUsage(pairs, start + TimeUnit.SECONDS.toNanos(seconds), sequential, mixed);
        long liveBytes = pairs * PairMaker.RECORD_LENGTH;
        double[] lastRatio = {0};
        long[] last = {start, 0, 0};
        out.println(mixed ? "# seconds sets/s lbs_bytes live_bytes ratio gets/s" : "# seconds sets/s lbs_bytes live_bytes ratio");
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
            long gets = workload.getCompletions.get();
            double elapsed = (now - last[0]) / 1e9;
            double rate = (done - last[1]) / elapsed;
            double getRate = (gets - last[2]) / elapsed;
            last[0] = now;
            last[1] = done;
            last[2] = gets;
            lastRatio[0] = (double) bytes / liveBytes;
            String line = String.format("%d %.0f %d %d %.3f", TimeUnit.NANOSECONDS.toSeconds(now - start), rate, bytes, liveBytes, lastRatio[0]);
            out.println(mixed ? line + String.format(" %.0f", getRate) : line);
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
        long j = sent++;
        if (mixed && (j & 2) == 0) {
            return new KvldsRequest.Get(randomKey());
        }
        long v = j + 1;
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
        (response instanceof KvldsResponse.Get ? getCompletions : completions).incrementAndGet();
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
