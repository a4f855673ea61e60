package io.kivaloo.bench.perf;

/**
 * The exact Hazen quantile of a sample (mux.md §2.2; the C code computes the
 * same value online with two heaps, lib/datastruct/onlinequantile.c). For n
 * sorted samples S_0 ≤ … ≤ S_{n-1} and q = n·p: i = floor(q + 0.5) − 1,
 * r = q + 0.5 − (i + 1); the result is S_0 if i = −1, S_{n-1} if i = n − 1,
 * else S_i + r·(S_{i+1} − S_i).
 */
public final class HazenQuantile {

    private HazenQuantile() {
    }

    /** @param sorted the first {@code n} entries, ascending; n ≥ 1 */
    public static double of(double[] sorted, int n, double p) {
        if (n < 1) {
            throw new IllegalArgumentException("samples: " + n + " (expected: >= 1)");
        }
        double q = n * p;
        long i = (long) Math.floor(q + 0.5) - 1;
        double r = q + 0.5 - (i + 1);
        if (i <= -1) {
            return sorted[0];
        }
        if (i >= n - 1) {
            return sorted[n - 1];
        }
        return sorted[(int) i] + r * (sorted[(int) i + 1] - sorted[(int) i]);
    }
}
