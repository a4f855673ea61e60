package io.kivaloo.bench.mux;

import io.kivaloo.bench.perf.HazenQuantile;

import java.util.Arrays;

/**
 * The four latency quantiles MuxLoad reports for one request type in one run,
 * in microseconds: p50, p90, p99 and p99.9, each the exact Hazen quantile
 * (kivaloo-perf's, {@link HazenQuantile}). All NaN when there were no samples
 * (e.g. SETs under {@code --gets 1}).
 */
record Quantiles(double p50, double p90, double p99, double p999) {

    /** The levels, in the order of the record's components and of the report's columns. */
    static final double[] LEVELS = {0.50, 0.90, 0.99, 0.999};
    /** Column names of {@link #LEVELS}. */
    static final String[] NAMES = {"p50", "p90", "p99", "p99.9"};

    private static final Quantiles NONE = new Quantiles(Double.NaN, Double.NaN, Double.NaN, Double.NaN);

    /** The quantiles of latencies given in nanoseconds; {@code nanos} is not changed. */
    static Quantiles ofNanos(long[] nanos) {
        if (nanos.length == 0) {
            return NONE;
        }
        double[] micros = new double[nanos.length];
        for (int i = 0; i < nanos.length; i++) {
            micros[i] = nanos[i] / 1000.0;
        }
        Arrays.sort(micros);
        double[] q = new double[LEVELS.length];
        for (int i = 0; i < LEVELS.length; i++) {
            q[i] = HazenQuantile.of(micros, micros.length, LEVELS[i]);
        }
        return of(q);
    }

    /** The mean of two runs, quantile by quantile: the direct baseline (one run before mux, one after). */
    static Quantiles mean(Quantiles a, Quantiles b) {
        double[] x = a.values();
        double[] y = b.values();
        double[] m = new double[x.length];
        for (int i = 0; i < x.length; i++) {
            m[i] = (x[i] + y[i]) / 2;
        }
        return of(m);
    }

    /** This run's quantiles less {@code base}'s, quantile by quantile: what the hop added at each. */
    Quantiles minus(Quantiles base) {
        double[] x = values();
        double[] y = base.values();
        double[] d = new double[x.length];
        for (int i = 0; i < x.length; i++) {
            d[i] = x[i] - y[i];
        }
        return of(d);
    }

    /** The values in the order of {@link #LEVELS}. */
    double[] values() {
        return new double[] {p50, p90, p99, p999};
    }

    private static Quantiles of(double[] v) {
        return new Quantiles(v[0], v[1], v[2], v[3]);
    }
}
