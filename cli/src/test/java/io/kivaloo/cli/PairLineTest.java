package io.kivaloo.cli;

import io.kivaloo.proto.kvlds.Key;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.Size;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class PairLineTest {

    @Property(tries = 1000)
    void everyPairSurvivesItsLine(@ForAll @Size(max = 255) byte[] key, @ForAll @Size(max = 255) byte[] value,
                                  @ForAll Encoding encoding) throws BadInputException {
        String line = PairLine.format(encoding, Key.of(key), Key.of(value));
        byte[][] parsed = PairLine.parse(encoding, line);
        assertThat(parsed[0]).isEqualTo(key);
        assertThat(parsed[1]).isEqualTo(value);
    }

    @Test
    void aTabInsideAValueIsEscapedSoTheLineHasOneTab() {
        String line = PairLine.format(Encoding.UTF8, Key.wrap("k".getBytes(StandardCharsets.UTF_8)),
                Key.wrap("a\tb".getBytes(StandardCharsets.UTF_8)));
        assertThat(line).isEqualTo("k\ta\\x09b");
    }

    @Test
    void aLineNeedsExactlyOneTab() {
        assertThatThrownBy(() -> PairLine.parse(Encoding.UTF8, "no separator"))
                .isInstanceOf(BadInputException.class).hasMessageContaining("no TAB");
        assertThatThrownBy(() -> PairLine.parse(Encoding.UTF8, "a\tb\tc"))
                .isInstanceOf(BadInputException.class).hasMessageContaining("more than one TAB");
    }

    @Test
    void anEmptyKeyAndAnEmptyValueAreAllowed() throws BadInputException {
        byte[][] parsed = PairLine.parse(Encoding.HEX, "\t");
        assertThat(parsed[0]).isEmpty();
        assertThat(parsed[1]).isEmpty();
    }

    @Test
    void aBadFieldIsNamed() {
        assertThatThrownBy(() -> PairLine.parse(Encoding.HEX, "00\tzz"))
                .isInstanceOf(BadInputException.class).hasMessageStartingWith("value: hex text");
    }
}
