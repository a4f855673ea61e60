package io.kivaloo.proto.kvlds;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.Size;
import net.jqwik.api.constraints.StringLength;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

/** {@link Key}: content equality and the unsigned order of kvlds.md §1. */
class KeyTest {

    @Test
    void bytesCompareUnsigned() {
        assertThat(Key.of(new byte[] {(byte) 0x80})).isGreaterThan(Key.of(new byte[] {0x7f}));
        assertThat(Key.of(new byte[] {(byte) 0xff})).isGreaterThan(Key.of(new byte[] {0x00, 0x01}));
    }

    @Test
    void aPrefixSortsFirstAndEmptyIsSmallest() {
        assertThat(Key.of("ab")).isLessThan(Key.of("abc"));
        assertThat(Key.EMPTY).isLessThan(Key.of(new byte[] {0}));
        assertThat(Key.wrap(new byte[0])).isSameAs(Key.EMPTY);
    }

    @Test
    void lengthIsLimitedTo255() {
        assertThat(Key.of(new byte[255]).length()).isEqualTo(255);
        assertThatIllegalArgumentException().isThrownBy(() -> Key.of(new byte[256]));
        assertThatIllegalArgumentException().isThrownBy(() -> Key.wrap(new byte[256]));
        assertThatIllegalArgumentException().isThrownBy(() -> Key.of(new byte[300], 0, 256));
    }

    @Test
    void aStringIsItsUtf8Bytes() {
        Key key = Key.of("café-日本");
        assertThat(key.toByteArray()).containsExactly(
                'c', 'a', 'f', 0xc3, 0xa9, '-', 0xe6, 0x97, 0xa5, 0xe6, 0x9c, 0xac);
        assertThat(key.toUtf8String()).isEqualTo("café-日本");
        assertThat(Key.of("\uD83D\uDE00").length()).as("a character outside the BMP").isEqualTo(4);
    }

    @Property
    void anyStringThatFitsRoundTripsThroughUtf8(@ForAll @StringLength(max = 60) String s) {
        Key key = Key.of(s.replaceAll("[\\uD800-\\uDFFF]", "x"));
        assertThat(Key.of(key.toUtf8String())).isEqualTo(key);
    }

    @Test
    void aStringCountsItsUtf8BytesAgainstTheLimit() {
        assertThat(Key.of("é".repeat(127)).length()).isEqualTo(254);
        assertThatIllegalArgumentException().isThrownBy(() -> Key.of("é".repeat(128)))
                .withMessageContaining("256 bytes in UTF-8");
    }

    @Test
    void ofCopiesItsInput() {
        byte[] bytes = {1, 2, 3};
        Key key = Key.of(bytes);
        bytes[0] = 9;
        assertThat(key.toByteArray()).containsExactly(1, 2, 3);
    }

    @Property
    void orderMatchesAByteByByteUnsignedComparison(@ForAll @Size(max = 8) byte[] a, @ForAll @Size(max = 8) byte[] b) {
        assertThat(Integer.signum(Key.of(a).compareTo(Key.of(b)))).isEqualTo(Integer.signum(reference(a, b)));
        assertThat(Integer.signum(Key.of(a).compareTo(b, 0, b.length))).isEqualTo(Integer.signum(reference(a, b)));
    }

    @Property
    void equalityAndHashFollowContent(@ForAll @Size(max = 8) byte[] a) {
        assertThat(Key.of(a)).isEqualTo(Key.of(a.clone())).hasSameHashCodeAs(Key.of(a.clone()));
        assertThat(Key.of(a).compareTo(Key.of(a.clone()))).isZero();
    }

    private static int reference(byte[] a, byte[] b) {
        for (int i = 0; i < Math.min(a.length, b.length); i++) {
            int d = (a[i] & 0xff) - (b[i] & 0xff);
            if (d != 0) {
                return d;
            }
        }
        return a.length - b.length;
    }
}
