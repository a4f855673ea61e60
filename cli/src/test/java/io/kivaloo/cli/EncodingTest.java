package io.kivaloo.cli;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.Size;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class EncodingTest {

    @Property(tries = 2000)
    void everyByteStringSurvivesEveryEncoding(@ForAll @Size(max = 300) byte[] bytes, @ForAll Encoding encoding)
            throws BadInputException {
        assertThat(encoding.decode(encoding.encode(bytes))).isEqualTo(bytes);
    }

    /** Random bytes rarely form long UTF-8 sequences; these are made of them, with strays mixed in. */
    @Property(tries = 2000)
    void utf8LikeByteStringsSurviveUtf8(@ForAll("utf8Like") byte[] bytes) throws BadInputException {
        assertThat(Encoding.UTF8.decode(Encoding.UTF8.encode(bytes))).isEqualTo(bytes);
    }

    @Property(tries = 2000)
    void noEncodingWritesALineBreakOrATab(@ForAll @Size(max = 300) byte[] bytes, @ForAll Encoding encoding) {
        assertThat(encoding.encode(bytes)).doesNotContain("\t", "\n", "\r");
    }

    @Property(tries = 1000)
    void printableTextIsItsOwnUtf8Encoding(@ForAll("printable") String text) throws BadInputException {
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        assertThat(Encoding.UTF8.encode(bytes)).isEqualTo(text);
        assertThat(Encoding.UTF8.decode(text)).isEqualTo(bytes);
    }

    @Test
    void utf8PrintsAccentsAndCjkAsTheyAre() {
        assertThat(Encoding.UTF8.encode("café-日本 ok".getBytes(StandardCharsets.UTF_8))).isEqualTo("café-日本 ok");
    }

    @Test
    void utf8EscapesControlsBackslashAndInvalidBytesOneEscapePerByte() {
        assertThat(Encoding.UTF8.encode(new byte[] {'a', '\t', 'b', '\n', '\r', 0, 0x7f, '\\'}))
                .isEqualTo("a\\x09b\\x0a\\x0d\\x00\\x7f\\x5c");
        // ISO-8859-1 é, a lone continuation byte, a truncated 3-byte sequence, 0xff.
        assertThat(Encoding.UTF8.encode(new byte[] {'c', 'a', 'f', (byte) 0xe9})).isEqualTo("caf\\xe9");
        assertThat(Encoding.UTF8.encode(new byte[] {(byte) 0x80, (byte) 0xe6, (byte) 0x97, (byte) 0xff}))
                .isEqualTo("\\x80\\xe6\\x97\\xff");
    }

    @Test
    void utf8EscapesOverlongFormsAndSurrogatesByteByByte() {
        // C0 AF is an overlong '/', ED A0 80 the surrogate U+D800, F4 90 80 80 is above U+10FFFF.
        assertThat(Encoding.UTF8.encode(new byte[] {(byte) 0xc0, (byte) 0xaf})).isEqualTo("\\xc0\\xaf");
        assertThat(Encoding.UTF8.encode(new byte[] {(byte) 0xed, (byte) 0xa0, (byte) 0x80})).isEqualTo("\\xed\\xa0\\x80");
        assertThat(Encoding.UTF8.encode(new byte[] {(byte) 0xf4, (byte) 0x90, (byte) 0x80, (byte) 0x80}))
                .isEqualTo("\\xf4\\x90\\x80\\x80");
    }

    @Test
    void utf8EscapesCharactersThatAreNotPrintable() {
        // U+0085 (next line, Cc), U+200B (zero width space, Cf), U+2028 (line separator), U+E000 (private use).
        assertThat(Encoding.UTF8.encode("\u0085\u200b\u2028\ue000".getBytes(StandardCharsets.UTF_8)))
                .isEqualTo("\\xc2\\x85\\xe2\\x80\\x8b\\xe2\\x80\\xa8\\xee\\x80\\x80");
    }

    @Test
    void utf8InputTakesEscapesInEitherCase() throws BadInputException {
        assertThat(Encoding.UTF8.decode("a\\x09\\xFFz")).isEqualTo(new byte[] {'a', '\t', (byte) 0xff, 'z'});
    }

    @Test
    void utf8InputRefusesABackslashThatIsNotAnEscape() {
        assertThatThrownBy(() -> Encoding.UTF8.decode("a\\b")).isInstanceOf(BadInputException.class)
                .hasMessageContaining("position 1").hasMessageContaining("\\x5c");
        assertThatThrownBy(() -> Encoding.UTF8.decode("\\x4")).isInstanceOf(BadInputException.class);
        assertThatThrownBy(() -> Encoding.UTF8.decode("\\x4g")).isInstanceOf(BadInputException.class);
        // Full-width digits are digits to Character.digit, not to us.
        assertThatThrownBy(() -> Encoding.UTF8.decode("\\x４１")).isInstanceOf(BadInputException.class);
    }

    @Test
    void utf8InputRefusesALoneSurrogate() {
        assertThatThrownBy(() -> Encoding.UTF8.decode("a\ud800b")).isInstanceOf(BadInputException.class)
                .hasMessageContaining("U+D800");
    }

    @Test
    void hexIsLowerCaseOutAndEitherCaseIn() throws BadInputException {
        assertThat(Encoding.HEX.encode(new byte[] {(byte) 0xab, 0x01})).isEqualTo("ab01");
        assertThat(Encoding.HEX.decode("AB01")).isEqualTo(new byte[] {(byte) 0xab, 0x01});
    }

    @Test
    void hexRefusesOddLengthsAndNonHexCharacters() {
        assertThatThrownBy(() -> Encoding.HEX.decode("abc")).isInstanceOf(BadInputException.class)
                .hasMessageContaining("odd length 3");
        assertThatThrownBy(() -> Encoding.HEX.decode("zz")).isInstanceOf(BadInputException.class)
                .hasMessageContaining("'z' at position 0");
    }

    @Test
    void base64IsPaddedOutAndTakesUnpaddedIn() throws BadInputException {
        assertThat(Encoding.BASE64.encode(new byte[] {'h', 'i'})).isEqualTo("aGk=");
        assertThat(Encoding.BASE64.decode("aGk")).isEqualTo(new byte[] {'h', 'i'});
        assertThatThrownBy(() -> Encoding.BASE64.decode("a*b=")).isInstanceOf(BadInputException.class);
    }

    @Test
    void theEmptyStringIsEmptyInEveryEncoding() throws BadInputException {
        for (Encoding encoding : Encoding.values()) {
            assertThat(encoding.encode(new byte[0])).isEmpty();
            assertThat(encoding.decode("")).isEmpty();
        }
    }

    @Test
    void namesAreTheLowerCaseLabels() {
        assertThat(Encoding.named("utf8")).isEqualTo(Encoding.UTF8);
        assertThat(Encoding.named("UTF-8")).isEqualTo(Encoding.UTF8);
        assertThat(Encoding.named("hex")).isEqualTo(Encoding.HEX);
        assertThat(Encoding.named("base64")).isEqualTo(Encoding.BASE64);
        assertThatThrownBy(() -> Encoding.named("latin1")).hasMessageContaining("utf8, hex or base64");
    }

    @Provide
    Arbitrary<byte[]> utf8Like() {
        Arbitrary<String> pieces = Arbitraries.oneOf(
                Arbitraries.strings().all().ofMaxLength(4),
                Arbitraries.strings().withCharRange('\u0080', '\u07ff').ofMaxLength(3),
                Arbitraries.strings().withCharRange('\u0800', '\uffff').ofMaxLength(3));
        Arbitrary<byte[]> chunk = Arbitraries.oneOf(
                pieces.map(s -> s.getBytes(StandardCharsets.UTF_8)),
                Arbitraries.bytes().array(byte[].class).ofMaxSize(2));
        return chunk.list().ofMaxSize(20).map(chunks -> {
            java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
            chunks.forEach(c -> out.write(c, 0, c.length));
            return out.toByteArray();
        });
    }

    @Provide
    Arbitrary<String> printable() {
        return Arbitraries.strings().withCharRange(' ', '~').withCharRange('\u00a1', '\u024f')
                .withCharRange('\u4e00', '\u4fff').excludeChars('\\', '\u00ad' /* soft hyphen: Cf */).ofMaxLength(40);
    }
}
