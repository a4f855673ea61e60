package io.kivaloo.tools.dump;

import io.kivaloo.proto.kvlds.Key;
import io.kivaloo.proto.kvlds.KvldsResponse;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The stream dump format of mux.md §3: golden bytes written out by hand from
 * the spec, a round trip for any pairs, and every truncation inside a pair
 * refused (a clean end only between pairs).
 */
class StreamFormatTest {

    /** mux.md §3: [1 byte key length][key][1 byte value length][value], concatenated, nothing else. */
    private static final byte[] GOLDEN = {
            0x01, 'a', 0x03, 'x', 'y', 'z',
            0x00, 0x00,
            0x02, (byte) 0xff, 0x00, 0x01, (byte) 0x80,
    };

    private static List<KvldsResponse.Pair> goldenPairs() {
        return List.of(
                pair("a".getBytes(StandardCharsets.US_ASCII), "xyz".getBytes(StandardCharsets.US_ASCII)),
                pair(new byte[0], new byte[0]),
                pair(new byte[] {(byte) 0xff, 0x00}, new byte[] {(byte) 0x80}));
    }

    @Test
    void writesTheSpecsBytesAndNothingElse() throws IOException {
        assertThat(write(goldenPairs())).containsExactly(GOLDEN);
    }

    @Test
    void readsTheSpecsBytesBack() throws IOException {
        assertThat(read(GOLDEN)).containsExactlyElementsOf(goldenPairs());
    }

    @Test
    void anEmptyInputIsAnEmptyDump() throws IOException {
        assertThat(read(new byte[0])).isEmpty();
    }

    @Test
    void lengthsAreUnsignedUpTo255() throws IOException {
        byte[] key = new byte[255];
        byte[] value = new byte[200];
        Arrays.fill(key, (byte) 1);
        Arrays.fill(value, (byte) 2);
        byte[] bytes = write(List.of(pair(key, value)));
        assertThat(bytes).hasSize(2 + 255 + 200);
        assertThat(bytes[0] & 0xff).isEqualTo(255);
        assertThat(bytes[256] & 0xff).isEqualTo(200);
        assertThat(read(bytes)).containsExactly(pair(key, value));
    }

    @Property
    void anyPairsRoundTrip(@ForAll("pairs") List<KvldsResponse.Pair> pairs) throws IOException {
        byte[] bytes = write(pairs);
        long expectedBytes = pairs.stream()
                .mapToLong(p -> StreamFormat.pairBytes(p.key().length(), p.value().length())).sum();
        assertThat(bytes).hasSize((int) expectedBytes);
        assertThat(read(bytes)).containsExactlyElementsOf(pairs);
    }

    @Property
    void anEndInsideAPairIsATruncatedDumpAndAnEndBetweenPairsIsNot(
            @ForAll("pairs") List<KvldsResponse.Pair> pairs, @ForAll @IntRange(min = 0, max = 100_000) int cutSeed)
            throws IOException {
        byte[] bytes = write(pairs);
        int cut = bytes.length == 0 ? 0 : cutSeed % (bytes.length + 1);
        byte[] prefix = Arrays.copyOf(bytes, cut);
        List<Integer> boundaries = new ArrayList<>();
        int offset = 0;
        boundaries.add(0);
        for (KvldsResponse.Pair pair : pairs) {
            offset += (int) StreamFormat.pairBytes(pair.key().length(), pair.value().length());
            boundaries.add(offset);
        }
        int whole = boundaries.indexOf(cut);
        if (whole >= 0) {
            assertThat(read(prefix)).containsExactlyElementsOf(pairs.subList(0, whole));
        } else {
            assertThatThrownBy(() -> read(prefix)).isInstanceOf(DumpFormatException.class)
                    .hasMessageContaining("dump truncated").hasMessageContaining("field=");
        }
    }

    @Test
    void aTruncatedDumpSaysWhereAndWhat() {
        byte[] cut = Arrays.copyOf(GOLDEN, 4); // inside the first value
        assertThatThrownBy(() -> read(cut)).isInstanceOf(DumpFormatException.class)
                .hasMessage("dump truncated: pair 0 at byte 3 field=value expected=3 bytes got=1");
    }

    @Provide
    Arbitrary<List<KvldsResponse.Pair>> pairs() {
        Arbitrary<byte[]> strings = Arbitraries.bytes().array(byte[].class).ofMinSize(0).ofMaxSize(255);
        return Combinators.combine(strings, strings).as(StreamFormatTest::pair).list().ofMaxSize(20);
    }

    private static KvldsResponse.Pair pair(byte[] key, byte[] value) {
        return new KvldsResponse.Pair(Key.of(key), Key.of(value));
    }

    static byte[] write(List<KvldsResponse.Pair> pairs) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (StreamPairWriter writer = new StreamPairWriter(out)) {
            for (KvldsResponse.Pair pair : pairs) {
                writer.write(pair.key(), pair.value());
            }
        }
        return out.toByteArray();
    }

    static List<KvldsResponse.Pair> read(byte[] bytes) throws IOException {
        List<KvldsResponse.Pair> pairs = new ArrayList<>();
        try (StreamPairReader reader = new StreamPairReader(new ByteArrayInputStream(bytes))) {
            for (KvldsResponse.Pair pair = reader.next(); pair != null; pair = reader.next()) {
                pairs.add(pair);
            }
        }
        return pairs;
    }
}
