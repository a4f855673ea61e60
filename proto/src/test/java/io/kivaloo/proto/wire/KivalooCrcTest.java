package io.kivaloo.proto.wire;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;
import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;

import static org.assertj.core.api.Assertions.assertThat;

/** {@link KivalooCrc} against the raw vectors of wire.md §4 and the bit-level definition of §3.1. */
class KivalooCrcTest {


    @Test
    void emptyInputHasTheNonZeroEmptyCrc() {
        assertThat(stored(new byte[0])).isEqualTo("783bf682");
    }

    @Test
    void helloWorldMatchesTheCSelfTestVector() {
        assertThat(stored("hello world".getBytes(StandardCharsets.US_ASCII))).isEqualTo("ca130baa");
    }

    @Test
    void checkStringGivesTheKivalooCheckValue() {
        assertThat(stored("123456789".getBytes(StandardCharsets.US_ASCII))).isEqualTo("0491fc22");
        assertThat(KivalooCrc.of("123456789".getBytes(StandardCharsets.US_ASCII), 0, 9)).isEqualTo(0x22FC9104);
    }

    @Test
    void zeroBytesDoNotGiveAZeroCrc() {
        assertThat(stored(new byte[32])).isEqualTo("1d53259c");
    }

    @Test
    void referenceAlgorithmReproducesTheVectorsToo() {
        // Guards the property below: a wrong reference would make it meaningless.
        assertThat(reference(new byte[0], 0, 0)).isEqualTo(0x82F63B78); // stored 78 3b f6 82
        assertThat(reference("hello world".getBytes(StandardCharsets.US_ASCII), 0, 11)).isEqualTo(0xAA0B13CA);
        assertThat(reference("123456789".getBytes(StandardCharsets.US_ASCII), 0, 9)).isEqualTo(0x22FC9104);
        assertThat(reference(new byte[32], 0, 32)).isEqualTo(0x9C25531D);
    }

    @Property
    void matchesTheBitLevelReference(@ForAll @Size(max = 300) byte[] data,
                                     @ForAll @IntRange(max = 300) int from,
                                     @ForAll @IntRange(max = 300) int to) {
        int offset = Math.min(Math.min(from, to), data.length);
        int length = Math.min(Math.max(from, to), data.length) - offset;
        assertThat(KivalooCrc.of(data, offset, length)).isEqualTo(reference(data, offset, length));
    }

    @Property
    void resetAndPiecewiseUpdatesGiveTheSameValue(@ForAll @Size(max = 300) byte[] data,
                                                  @ForAll @IntRange(max = 300) int split) {
        int cut = Math.min(split, data.length);
        KivalooCrc crc = new KivalooCrc().update(new byte[] {1, 2, 3}, 0, 3).reset();
        crc.update(data, 0, cut).update(ByteBuffer.wrap(data, cut, data.length - cut));
        assertThat(crc.value()).isEqualTo(reference(data, 0, data.length));
    }

    /** The bit-level algorithm of wire.md §3.1 ({@link WireVectors#bitwiseCrc}). */
    static int reference(byte[] data, int offset, int length) {
        return WireVectors.bitwiseCrc(data, offset, length);
    }

    /** The CRC's bytes as stored on the wire (least significant first), in hex. */
    private static String stored(byte[] data) {
        int reg = KivalooCrc.of(data, 0, data.length);
        byte[] bytes = {(byte) reg, (byte) (reg >>> 8), (byte) (reg >>> 16), (byte) (reg >>> 24)};
        return HexFormat.of().formatHex(bytes);
    }
}
