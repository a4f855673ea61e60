package io.kivaloo.bench.measure;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class InsertRateTest {

    private static final long MS = 1_000_000L;
    private long now;

    @Test
    void reportsBetweenPowersOfTwoFrom4096() {
        List<String> lines = new ArrayList<>();
        InsertRate rate = new InsertRate(() -> now, lines::add);
        for (int i = 1; i <= 16384; i++) {
            now = i * MS; // one SET per millisecond: 1000 SETs/s
            rate.completed();
        }
        // Intervals below 4096 SETs are not printed; [4096, 8192) and [8192, 16384) at 1000/s.
        assertThat(lines).containsExactly("4096 1000", "8192 1000");
    }

    @Test
    void reportsAfterTenSecondsWithTheCCorrection() {
        List<String> lines = new ArrayList<>();
        InsertRate rate = new InsertRate(() -> now, lines::add);
        for (int i = 1; i <= 8192; i++) {
            rate.completed(); // all at t = 0: [4096, 8192) lasted "1 µs"
        }
        // 5000 more SETs, the last one 10.5 s later: T = 10 and n = 5000 - 1.
        for (int i = 1; i <= 5000; i++) {
            now = i == 5000 ? 10_500 * MS : MS;
            rate.completed();
        }
        assertThat(lines).containsExactly("4096 4096000000", "8192 500");
    }
}
