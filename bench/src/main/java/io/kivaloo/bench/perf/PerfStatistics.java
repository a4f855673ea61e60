package io.kivaloo.bench.perf;

import io.kivaloo.bench.measure.CFormat;

import java.io.IOException;
import java.time.Clock;
import java.util.Arrays;
import java.util.TreeMap;

/**
 * Request times per type over a reporting period, and the period's log line
 * (perf/perfstats.c; mux.md §2.2).
 *
 * <p>A period is {@code floor(now / w) · w} in wall-clock seconds since the
 * epoch. Whenever it differs from the one last reported ({@link #poke},
 * called every 0.5 s and before each new measurement, so that a measurement
 * is never counted in the period before the one it finished in), the
 * statistics are written as one line and reset. The line body, after the
 * log's timestamp, is for each type seen, in unsigned numeric order of type:
 * {@code |NAME|NNNNNN|MEAN|P50|P99|P100}: count {@code %06zu}, then
 * milliseconds {@code %08.3f}: running mean, exact Hazen P50 and P99, maximum.
 *
 * <p>Owned by perf's event loop; not thread-safe.
 */
public final class PerfStatistics {

    /** Writes one line body; the log prepends the timestamp. */
    @FunctionalInterface
    public interface LineSink {
        void write(String body) throws IOException;
    }

    private final Clock clock;
    private final long periodSeconds;
    private final LineSink sink;
    /** Keyed by type as an unsigned value, so that iteration is in the C code's order. */
    private final TreeMap<Long, TypeStatistics> byType = new TreeMap<>();
    private long lastReport;

    /**
     * @param periodSeconds w, the -w option (1..86400)
     */
    public PerfStatistics(Clock clock, long periodSeconds, LineSink sink) {
        if (periodSeconds < 1) {
            throw new IllegalArgumentException("period: " + periodSeconds + " s (expected: >= 1)");
        }
        this.clock = clock;
        this.periodSeconds = periodSeconds;
        this.sink = sink;
        this.lastReport = currentPeriod();
    }

    /** Records that a request of {@code type} took {@code seconds}, failed or not. */
    public void add(int type, double seconds) throws IOException {
        poke();
        byType.computeIfAbsent(Integer.toUnsignedLong(type), t -> new TypeStatistics()).add(seconds);
    }

    /** Writes and resets the statistics if a new period has begun. */
    public void poke() throws IOException {
        long now = currentPeriod();
        if (now != lastReport) {
            flush();
            lastReport = now;
        }
    }

    /** Writes the statistics as one line and resets them (also the final line of {@code -1}). */
    public void flush() throws IOException {
        StringBuilder line = new StringBuilder();
        for (var entry : byType.entrySet()) {
            line.append(entry.getValue().format(RequestTypes.name(entry.getKey().intValue())));
        }
        byType.clear();
        sink.write(line.toString());
    }

    private long currentPeriod() {
        long now = Math.floorDiv(clock.millis(), 1000L);
        return Math.floorDiv(now, periodSeconds) * periodSeconds;
    }

    /** One type's samples in the current period, in seconds. */
    static final class TypeStatistics {
        private double[] samples = new double[16];
        private int count;
        private double mean;
        private double max;

        void add(double seconds) {
            if (count == samples.length) {
                samples = Arrays.copyOf(samples, count * 2);
            }
            samples[count++] = seconds;
            mean += (seconds - mean) / count;
            if (max < seconds) {
                max = seconds;
            }
        }

        String format(String name) {
            Arrays.sort(samples, 0, count);
            double p50 = HazenQuantile.of(samples, count, 0.50);
            double p99 = HazenQuantile.of(samples, count, 0.99);
            return "|" + name + "|" + CFormat.zeroPadded(count, 6)
                    + "|" + millis(mean) + "|" + millis(p50) + "|" + millis(p99) + "|" + millis(max);
        }

        private static String millis(double seconds) {
            return CFormat.zeroPadded(1000 * seconds, 8, 3);
        }
    }
}
