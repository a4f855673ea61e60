package io.kivaloo.bench.data;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class GlibcRandomTest {

    /** glibc's random() without srandom(): the values every C benchmark on Linux starts from. */
    @Test
    void firstOutputsMatchGlibcUnseeded() {
        GlibcRandom random = new GlibcRandom();
        long[] expected = {1804289383L, 846930886L, 1681692777L, 1714636915L, 1957747793L, 424238335L, 719885386L, 1649760492L};
        for (long value : expected) {
            assertThat(random.next()).isEqualTo(value);
        }
    }

    @Test
    void outputsStayIn31Bits() {
        GlibcRandom random = new GlibcRandom();
        for (int i = 0; i < 100_000; i++) {
            assertThat(random.next()).isBetween(0L, (1L << 31) - 1);
        }
    }
}
