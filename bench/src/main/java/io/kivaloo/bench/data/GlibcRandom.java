package io.kivaloo.bench.data;

/**
 * The C library's {@code random()} as glibc implements it (TYPE_3: an
 * additive lagged Fibonacci generator with 31 words of state), so that the
 * benchmarks choose the same keys as the C programs on Linux
 * (tests-and-bench.md §8.3).
 *
 * <p>With seed s: {@code r[0] = s}; {@code r[i] = 16807 · r[i-1] mod (2^31 - 1)}
 * for i = 1..30; {@code r[i] = r[i-31]} for i = 31..33; {@code r[i] = r[i-31] + r[i-3]}
 * (32-bit wraparound) for i ≥ 34. Output k is {@code r[k + 344] >>> 1}. The C
 * programs never call {@code srandom}, so their seed is 1. FreeBSD's
 * {@code random()} is a different generator.
 */
public final class GlibcRandom {

    /** The seed of a program that never calls srandom(). */
    public static final int DEFAULT_SEED = 1;

    /** Outputs glibc discards after seeding (10 × the 31 words of state), plus the 34 seeded words. */
    private static final int FIRST_OUTPUT_INDEX = 344;

    /** The last 32 values of r; r[i] lives at i & 31, and r[i-31] at (i+1) & 31. */
    private final int[] ring = new int[32];
    private long index;

    public GlibcRandom() {
        this(DEFAULT_SEED);
    }

    public GlibcRandom(int seed) {
        long[] r = new long[34];
        r[0] = seed == 0 ? 1 : seed;
        for (int i = 1; i < 31; i++) {
            // Exact in 64 bits; glibc's Schrage form gives the same value for every positive seed.
            long next = (16807L * r[i - 1]) % 2147483647L;
            r[i] = next < 0 ? next + 2147483647L : next;
        }
        for (int i = 31; i < 34; i++) {
            r[i] = r[i - 31];
        }
        for (int i = 0; i < 34; i++) {
            ring[i & 31] = (int) r[i];
        }
        index = 34;
        while (index < FIRST_OUTPUT_INDEX) {
            step();
        }
    }

    /** The next value, in 0..2^31-1, as random() returns it. */
    public long next() {
        return (step() >>> 1) & 0xffffffffL;
    }

    private int step() {
        int i = (int) (index & 31);
        int value = ring[(int) ((index + 1) & 31)] + ring[(int) ((index - 3) & 31)];
        ring[i] = value;
        index++;
        return value;
    }
}
