package io.kivaloo.bench.measure;

import java.util.Arrays;
import java.util.function.LongSupplier;

/**
 * Per-second completion counts after a warm-up, and their median: the C
 * timing helper lib/bench/bench.c (tests-and-bench.md §8.2), rule for rule.
 *
 * <ul>
 *   <li>Ticks before {@code created + warmup} are ignored.</li>
 *   <li>The first counted tick opens bucket 0 with deadline {@code now + 1 s}.
 *       A tick after the deadline opens the next bucket, with deadline
 *       {@code now + 1 s} (so seconds start at ticks, not on a grid). If that
 *       would be bucket number S the benchmark is done and the tick is not
 *       counted.</li>
 *   <li>The figure is the median of the S counts; for even S the floor of
 *       the mean of the two middle ones.</li>
 * </ul>
 * Not thread-safe: the benchmark's event loop owns it.
 */
public final class SecondCounter {

    private static final long SECOND_NANOS = 1_000_000_000L;

    private final LongSupplier clock;
    private final long start;
    private final long[] counts;
    private boolean started;
    private long deadline;
    private int position;

    /**
     * @param warmupSeconds seconds from now before ticks count (the C programs: 50)
     * @param seconds       S, buckets to fill (10 or 100)
     * @param clock         monotonic nanoseconds ({@code System::nanoTime})
     */
    public SecondCounter(long warmupSeconds, int seconds, LongSupplier clock) {
        if (warmupSeconds < 0 || seconds < 1) {
            throw new IllegalArgumentException("warm-up " + warmupSeconds + " s, window " + seconds + " s (expected: >= 0, >= 1)");
        }
        this.clock = clock;
        this.start = clock.getAsLong() + warmupSeconds * SECOND_NANOS;
        this.counts = new long[seconds];
    }

    /** Counts one completed item; true once the window is over (the caller stops sending). */
    public boolean tick() {
        long now = clock.getAsLong();
        if (!started) {
            if (now - start < 0) {
                return false;
            }
            started = true;
            deadline = now + SECOND_NANOS;
        }
        if (now - deadline > 0) {
            position++;
            if (position >= counts.length) {
                return true;
            }
            deadline = now + SECOND_NANOS;
        }
        counts[position]++;
        return false;
    }

    /** True once the warm-up is over and counting has begun. */
    public boolean measuring() {
        return started;
    }

    /** The phase for a progress line: "warm-up", then "measuring". */
    public String phase() {
        return started ? "measuring" : "warm-up";
    }

    /** The per-second counts so far. */
    public long[] counts() {
        return counts.clone();
    }

    /** The printed figure: the median bucket count. */
    public long median() {
        return median(counts);
    }

    static long median(long[] counts) {
        long[] sorted = counts.clone();
        Arrays.sort(sorted);
        int mid = (sorted.length - 1) / 2;
        if (sorted.length % 2 == 0) {
            // The C code adds two uint64_t and halves: no overflow at these magnitudes.
            return (sorted[mid] + sorted[mid + 1]) / 2;
        }
        return sorted[mid];
    }
}
