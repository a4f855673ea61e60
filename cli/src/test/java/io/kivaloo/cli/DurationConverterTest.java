package io.kivaloo.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import picocli.CommandLine;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class DurationConverterTest {

    private final DurationConverter converter = new DurationConverter();

    @Test
    void takesMillisecondsSecondsAndMinutes() {
        assertThat(converter.convert("500ms")).isEqualTo(Duration.ofMillis(500));
        assertThat(converter.convert("10s")).isEqualTo(Duration.ofSeconds(10));
        assertThat(converter.convert("1m")).isEqualTo(Duration.ofMinutes(1));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "10", "s", "1.5s", "-1s", "0ms", "1h", "10 s", "1S"})
    void refusesAnythingElse(String text) {
        assertThatThrownBy(() -> converter.convert(text)).isInstanceOf(CommandLine.TypeConversionException.class);
    }

    @Test
    void printsInTheLargestExactUnit() {
        assertThat(DurationConverter.format(Duration.ofMillis(500))).isEqualTo("500ms");
        assertThat(DurationConverter.format(Duration.ofMillis(1500))).isEqualTo("1500ms");
        assertThat(DurationConverter.format(Duration.ofSeconds(10))).isEqualTo("10s");
        assertThat(DurationConverter.format(Duration.ofSeconds(120))).isEqualTo("2m");
    }
}
