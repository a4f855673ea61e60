package io.kivaloo.bench.run;

import io.kivaloo.bench.measure.SecondCounter;

/**
 * A measurement window: ignore completions for {@code warmupSeconds}, then
 * count them for {@code seconds} one-second buckets. The C programs use 50 s
 * and 10 s or 100 s; shorter windows are for quick checks only.
 */
public record Window(long warmupSeconds, int seconds) {

    public static final long C_WARMUP_SECONDS = 50;
    public static final int C_SHORT_SECONDS = 10;
    public static final int C_LONG_SECONDS = 100;

    public Window {
        if (warmupSeconds < 0 || seconds < 1) {
            throw new IllegalArgumentException("window: warm-up " + warmupSeconds + " s, " + seconds
                    + " s measured (expected: warm-up >= 0, measured >= 1)");
        }
    }

    /** A fresh counter starting its warm-up now. */
    public SecondCounter newCounter() {
        return new SecondCounter(warmupSeconds, seconds, System::nanoTime);
    }
}
