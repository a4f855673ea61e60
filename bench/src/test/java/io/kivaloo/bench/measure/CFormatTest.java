package io.kivaloo.bench.measure;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class CFormatTest {

    @Test
    void zeroPaddedMillisecondsAsPrintf08_3f() {
        assertThat(CFormat.zeroPadded(0.045, 8, 3)).isEqualTo("0000.045");
        assertThat(CFormat.zeroPadded(123.456, 8, 3)).isEqualTo("0123.456");
        assertThat(CFormat.zeroPadded(123456.5, 8, 3)).isEqualTo("123456.500");
    }

    @Test
    void roundsTheExactBinaryValueHalfToEven() {
        // 0.0125 is 0.01250000000000000069... in binary: glibc prints 0.013 for %.3f.
        assertThat(CFormat.fixed(0.0125, 3)).isEqualTo("0.013");
        // 2.5 is exact: ties to even, as glibc's %.0f.
        assertThat(CFormat.fixed(2.5, 0)).isEqualTo("2");
        assertThat(CFormat.fixed(3.5, 0)).isEqualTo("4");
    }

    @Test
    void countsPadTo6Digits() {
        assertThat(CFormat.zeroPadded(20, 6)).isEqualTo("000020");
        assertThat(CFormat.zeroPadded(1234567, 6)).isEqualTo("1234567");
    }
}
