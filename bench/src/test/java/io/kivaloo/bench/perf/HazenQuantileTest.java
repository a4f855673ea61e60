package io.kivaloo.bench.perf;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

class HazenQuantileTest {

    @Test
    void twentySamplesP50IsMeanOfTenthAndEleventhAndP99IsMax() {
        double[] s = new double[20];
        for (int i = 0; i < 20; i++) {
            s[i] = i + 1;
        }
        assertThat(HazenQuantile.of(s, 20, 0.50)).isEqualTo(10.5);
        assertThat(HazenQuantile.of(s, 20, 0.99)).isEqualTo(20.0);
    }

    @Test
    void singleSampleIsEveryQuantile() {
        assertThat(HazenQuantile.of(new double[] {7}, 1, 0.5)).isEqualTo(7);
        assertThat(HazenQuantile.of(new double[] {7}, 1, 0.99)).isEqualTo(7);
    }

    @Test
    void interpolatesBetweenNeighbours() {
        // n = 4, p = 0.5: q = 2, i = 1, r = 0.5 -> S1 + 0.5 (S2 - S1)
        assertThat(HazenQuantile.of(new double[] {1, 2, 4, 8}, 4, 0.5)).isEqualTo(3.0);
        // n = 200, p = 0.99: q = 198, i = 197, r = 0.5
        double[] s = new double[200];
        for (int i = 0; i < 200; i++) {
            s[i] = i;
        }
        assertThat(HazenQuantile.of(s, 200, 0.99)).isCloseTo(197.5, within(1e-12));
        // n = 3, p = 0.1: q = 0.3, i = -1 -> S0
        assertThat(HazenQuantile.of(new double[] {1, 2, 3}, 3, 0.1)).isEqualTo(1);
    }
}
