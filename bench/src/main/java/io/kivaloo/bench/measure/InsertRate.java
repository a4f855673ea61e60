package io.kivaloo.bench.measure;

import java.util.function.Consumer;
import java.util.function.LongSupplier;

/**
 * bulk_insert's rate lines (bench/bulk_insert/main.c, tests-and-bench.md §8.3):
 * {@code "<N0> <rate>"}, the insert rate from completion N0 (a power of two) to
 * the next power of two, or over 10 s if that comes first.
 *
 * <p>After each completion: if the count is a power of two, report the open
 * interval (if any) and open a new one at (count, now); then if an interval
 * has been open for more than 10 s, report it. Reporting takes
 * T = now − t0 and n = count − N0; if T &gt; 10 it uses T = 10 and n − 1;
 * T is at least 1 µs; it prints {@code "%zu %.0f"} of (N0, n/T) only if
 * n ≥ 4096 (fewer could be one burst of responses), then closes the interval.
 */
public final class InsertRate {

    private static final long TEN_SECONDS_NANOS = 10_000_000_000L;
    private static final long MIN_REPORTED = 4096;

    private final LongSupplier clock;
    private final Consumer<String> out;
    private long done;
    private long savedCount;
    private long savedTime;

    /**
     * @param clock monotonic nanoseconds
     * @param out   receives each line, without the newline
     */
    public InsertRate(LongSupplier clock, Consumer<String> out) {
        this.clock = clock;
        this.out = out;
    }

    /** One SET has completed. */
    public void completed() {
        done++;
        if ((done & (done - 1)) == 0) {
            if (savedCount != 0) {
                report();
            }
            savedCount = done;
            savedTime = clock.getAsLong();
        }
        if (savedCount != 0 && clock.getAsLong() - savedTime > TEN_SECONDS_NANOS) {
            report();
        }
    }

    public long done() {
        return done;
    }

    private void report() {
        double seconds = (clock.getAsLong() - savedTime) / 1e9;
        long n = done - savedCount;
        if (seconds > 10.0) {
            // Everything counted completed before the 10 s mark, except the last.
            seconds = 10.0;
            n -= 1;
        }
        if (seconds < 0.000001) {
            seconds = 0.000001;
        }
        if (n >= MIN_REPORTED) {
            out.accept(Long.toUnsignedString(savedCount) + " " + CFormat.fixed(n / seconds, 0));
        }
        savedCount = 0;
    }
}
