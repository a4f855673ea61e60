package io.kivaloo.bench.mux;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/** MuxLoad's quantiles against figures worked out by hand from the Hazen definition (HazenQuantile's Javadoc). */
class QuantilesTest {

    /** 1, 2, ..., n microseconds, in nanoseconds, shuffled with a fixed seed: the order given must not matter. */
    private static long[] shuffledMicros(int n) {
        List<Long> values = new ArrayList<>();
        for (int i = 1; i <= n; i++) {
            values.add(i * 1000L);
        }
        Collections.shuffle(values, new Random(20));
        return values.stream().mapToLong(Long::longValue).toArray();
    }

    @Test
    void aThousandSamplesInterpolateHalfwayAtEveryLevel() {
        // n = 1000, S_k = k + 1 us. p = 0.5: q = 500, i = 499, r = 0.5 -> S_499 + 0.5 = 500.5;
        // p = 0.9: q = 900 -> 900.5; p = 0.99: q = 990 -> 990.5; p = 0.999: q = 999, i = 998 -> S_998 + 0.5 = 999.5.
        Quantiles q = Quantiles.ofNanos(shuffledMicros(1000));
        assertThat(q.p50()).isCloseTo(500.5, within(1e-9));
        assertThat(q.p90()).isCloseTo(900.5, within(1e-9));
        assertThat(q.p99()).isCloseTo(990.5, within(1e-9));
        assertThat(q.p999()).isCloseTo(999.5, within(1e-9));
    }

    @Test
    void twentySamplesReachTheMaximumAtP99AndAbove() {
        // n = 20. p = 0.5: q = 10, i = 9 -> 10 + 0.5 = 10.5; p = 0.9: q = 18, i = 17 -> 18.5;
        // p = 0.99: q = 19.8, i = floor(20.3) - 1 = 19 = n - 1 -> the largest, 20; so is p99.9.
        assertThat(Quantiles.ofNanos(shuffledMicros(20))).isEqualTo(new Quantiles(10.5, 18.5, 20, 20));
    }

    @Test
    void nanosecondsBecomeFractionalMicroseconds() {
        // n = 2: p = 0.5: q = 1, i = 0, r = 0.5 -> 1.5 + 0.5 (2.5 - 1.5) = 2.0; p = 0.9: q = 1.8, i = 1 = n - 1 -> 2.5.
        Quantiles q = Quantiles.ofNanos(new long[] {2500, 1500});
        assertThat(q).isEqualTo(new Quantiles(2.0, 2.5, 2.5, 2.5));
    }

    @Test
    void noSamplesGiveNoFigures() {
        assertThat(Quantiles.ofNanos(new long[0]).values()).containsOnly(Double.NaN);
    }

    @Test
    void addedIsTheRunLessTheMeanOfTheTwoBaselines() {
        Quantiles before = new Quantiles(10, 20, 30, 40);
        Quantiles after = new Quantiles(14, 22, 38, 60);
        Quantiles viaMux = new Quantiles(40, 70, 130, 1000);
        Quantiles base = Quantiles.mean(before, after);
        assertThat(base).isEqualTo(new Quantiles(12, 21, 34, 50));
        assertThat(viaMux.minus(base)).isEqualTo(new Quantiles(28, 49, 96, 950));
    }
}
