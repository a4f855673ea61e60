package io.kivaloo.bench.measure;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** bench.c's rules, driven by a fake clock (no real time involved). */
class SecondCounterTest {

    private static final long S = 1_000_000_000L;
    private long now;

    @Test
    void ignoresWarmupThenCountsPerSecondAndStopsAfterTheWindow() {
        SecondCounter counter = new SecondCounter(50, 3, () -> now);
        now = 49 * S;
        assertThat(counter.tick()).isFalse();
        assertThat(counter.measuring()).isFalse();
        now = 50 * S; // start is inclusive
        assertThat(counter.tick()).isFalse(); // bucket 0, deadline 51 s
        now = 51 * S; // not after the deadline: still bucket 0
        assertThat(counter.tick()).isFalse();
        now = 51 * S + 1; // bucket 1, deadline 52 s + 1 ns
        assertThat(counter.tick()).isFalse();
        now = 53 * S; // bucket 2, deadline 54 s
        assertThat(counter.tick()).isFalse();
        assertThat(counter.tick()).isFalse();
        assertThat(counter.tick()).isFalse();
        now = 54 * S + 1; // would be bucket 3 = S: done, not counted
        assertThat(counter.tick()).isTrue();
        assertThat(counter.counts()).containsExactly(2, 1, 3);
        assertThat(counter.median()).isEqualTo(2);
    }

    @Test
    void bucketsStartAtTicksNotOnAGrid() {
        SecondCounter counter = new SecondCounter(0, 2, () -> now);
        now = 0;
        counter.tick();
        now = 3 * S; // a gap: the next bucket starts here, with deadline 4 s
        counter.tick();
        now = 4 * S;
        counter.tick();
        assertThat(counter.counts()).containsExactly(1, 2);
    }

    @Test
    void medianOfEvenCountIsFlooredMeanOfMiddlePair() {
        assertThat(SecondCounter.median(new long[] {5, 1, 4, 2})).isEqualTo(3); // (2 + 4) / 2
        assertThat(SecondCounter.median(new long[] {1, 2})).isEqualTo(1); // floor(1.5)
        assertThat(SecondCounter.median(new long[] {9, 1, 5})).isEqualTo(5);
    }
}
