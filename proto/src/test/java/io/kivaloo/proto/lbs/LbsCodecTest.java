package io.kivaloo.proto.lbs;

import io.kivaloo.proto.wire.Frames;
import io.kivaloo.proto.wire.ProtocolException;
import io.kivaloo.proto.wire.WireVectors;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;
import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.HexFormat;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * {@link LbsCodec}: every request and response survives encoding, framing and
 * decoding; decoding is strict (lbs.md §2, §3).
 */
class LbsCodecTest {

    // ---- generators

    @Provide
    Arbitrary<LbsRequest> requests() {
        Arbitrary<Long> blocks = blockNumbers();
        Arbitrary<LbsRequest> append = Combinators.combine(
                Arbitraries.integers().between(1, 8), blocks, Arbitraries.integers().between(0, 64), Arbitraries.longs())
                .as((count, block, blockLength, seed) -> {
                    byte[] data = new byte[count * blockLength];
                    new java.util.Random(seed).nextBytes(data);
                    return new LbsRequest.Append(count, block, data);
                });
        return Arbitraries.oneOf(
                Arbitraries.just(new LbsRequest.Params()),
                Arbitraries.just(new LbsRequest.Params2()),
                blocks.map(LbsRequest.Get::new),
                blocks.map(LbsRequest.Free::new),
                append);
    }

    /** A request and a well-formed answer to it, plus the block size the client knows (0: unknown). */
    record Exchange(LbsRequest request, LbsResponse response, int blockSize) {
    }

    @Provide
    Arbitrary<Exchange> exchanges() {
        Arbitrary<Long> blocks = blockNumbers();
        Arbitrary<Integer> sizes = Arbitraries.integers();
        Arbitrary<Exchange> params = Combinators.combine(sizes, blocks)
                .as((size, next) -> new Exchange(new LbsRequest.Params(), new LbsResponse.Params(size, next), 0));
        Arbitrary<Exchange> params2 = Combinators.combine(sizes, blocks, blocks)
                .as((size, next, last) -> new Exchange(new LbsRequest.Params2(), new LbsResponse.Params2(size, next, last), 0));
        Arbitrary<Exchange> getPresent = Combinators.combine(blocks, Arbitraries.bytes().array(byte[].class).ofMaxSize(600),
                        Arbitraries.of(true, false))
                .as((block, data, knowsSize) -> new Exchange(new LbsRequest.Get(block), new LbsResponse.Get(data),
                        knowsSize ? data.length : 0));
        Arbitrary<Exchange> getAbsent = blocks.map(b -> new Exchange(new LbsRequest.Get(b), LbsResponse.Get.ABSENT, 512));
        Arbitrary<Exchange> appended = Combinators.combine(blocks, blocks).as((block, next) -> new Exchange(
                new LbsRequest.Append(1, block, new byte[4]), new LbsResponse.Append(true, next), 4));
        Arbitrary<Exchange> refused = blocks.map(b -> new Exchange(
                new LbsRequest.Append(1, b, new byte[4]), LbsResponse.Append.REFUSED, 4));
        Arbitrary<Exchange> free = blocks.map(b -> new Exchange(new LbsRequest.Free(b), LbsResponse.Free.OK, 0));
        return Arbitraries.oneOf(params, params2, getPresent, getAbsent, appended, refused, free);
    }

    private static Arbitrary<Long> blockNumbers() {
        return Arbitraries.oneOf(Arbitraries.longs(), Arbitraries.of(0L, 1L, -1L, -2L, Long.MAX_VALUE, Long.MIN_VALUE));
    }

    // ---- round trips

    @Property
    void everyRequestSurvivesEncodingFramingAndDecoding(@ForAll("requests") LbsRequest request, @ForAll long id)
            throws ProtocolException {
        byte[] record = Frames.throughTheWire(id, LbsCodec.encodeRequest(request));
        assertSameRequest(LbsCodec.decodeRequest(record), request);
    }

    @Property
    void everyResponseSurvivesEncodingFramingAndDecoding(@ForAll("exchanges") Exchange exchange, @ForAll long id)
            throws ProtocolException {
        byte[] record = Frames.throughTheWire(id, LbsCodec.encodeResponse(exchange.response()));
        assertSameResponse(LbsCodec.decodeResponse(exchange.request(), record, exchange.blockSize()), exchange.response());
    }

    @Test
    void recordsMatchTheWireVectors() {
        assertThat(LbsCodec.encodeRequest(new LbsRequest.Params())).isEqualTo(WireVectors.V1.record());
        assertThat(LbsCodec.encodeResponse(LbsResponse.Params2.of(512, 0))).isEqualTo(WireVectors.V6.record());
        assertThat(LbsCodec.encodeResponse(new LbsResponse.Append(true, 7))).isEqualTo(WireVectors.V7.record());
    }

    @Test
    void appendPutsTheCountBeforeTheBlockNumber() {
        byte[] record = LbsCodec.encodeRequest(new LbsRequest.Append(2, 0x0102030405060708L, new byte[] {9, 9}));
        assertThat(HexFormat.of().formatHex(record)).isEqualTo("00000002" + "00000002" + "0102030405060708" + "0909");
    }

    @Test
    void absentAndRefusedAnswersAreOneStatusWord() {
        assertThat(LbsCodec.encodeResponse(LbsResponse.Get.ABSENT)).isEqualTo(new byte[] {0, 0, 0, 1});
        assertThat(LbsCodec.encodeResponse(LbsResponse.Append.REFUSED)).isEqualTo(new byte[] {0, 0, 0, 1});
        assertThat(LbsCodec.encodeResponse(LbsResponse.Free.OK)).isEqualTo(new byte[] {0, 0, 0, 0});
    }

    // ---- strict request decoding (lbs.md §3: each of these closes the connection)

    @Test
    void malformedRequestsAreProtocolExceptions() {
        assertMalformed("", "truncated at type");
        assertMalformed("000000", "truncated at type");
        assertMalformed("0000000000", "trailing");                  // PARAMS + 1 byte
        assertMalformed("0000000400", "trailing");                  // PARAMS2 + 1 byte
        assertMalformed("0000000100000000000000", "truncated at block"); // GET with 7 of 8 block bytes
        assertMalformed("000000010000000000000000ff", "trailing");  // GET + 1 byte
        assertMalformed("00000003000000", "truncated at block");    // FREE
        assertMalformed("00000009", "Unrecognized LBS request type 0x00000009");
        assertMalformed("00000100", "Unrecognized LBS request type 0x00000100"); // a KVLDS PARAMS
        assertMalformed("00000002" + "00000000" + "0000000000000000" + "00", "count 0");
        assertMalformed("00000002" + "00000002" + "0000000000000000" + "000000", "does not split into 2 blocks");
        assertMalformed("00000002" + "00000001" + "00000000000000", "truncated at block");
    }

    @Test
    void appendCountBeyondAnIntIsAProtocolExceptionNotACrash() {
        // Every count divides an empty payload; 2^32-1 blocks of 0 bytes must not reach the Append record.
        assertMalformed("00000002" + "ffffffff" + "0000000000000000", "count 4294967295");
        assertMalformed("00000002" + "80000000" + "0000000000000000", "count 2147483648");
    }

    @Property
    void aTrailingByteIsRejected(@ForAll("requests") LbsRequest request, @ForAll byte extra) {
        // An APPEND's payload is not self-describing: with one block any length splits, so the
        // block-size check of the server is what rejects it; with more blocks one byte never divides.
        if (request instanceof LbsRequest.Append && ((LbsRequest.Append) request).count() == 1) {
            return;
        }
        byte[] record = LbsCodec.encodeRequest(request);
        byte[] longer = Arrays.copyOf(record, record.length + 1);
        longer[record.length] = extra;
        assertThatThrownBy(() -> LbsCodec.decodeRequest(longer)).isInstanceOf(ProtocolException.class);
    }

    @Property
    void aTruncatedRequestIsRejected(@ForAll("requests") LbsRequest request, @ForAll @IntRange(min = 0) int cutChoice) {
        byte[] record = LbsCodec.encodeRequest(request);
        // Cutting into an APPEND's payload may leave a shorter valid one (see above); its header may not be cut.
        int limit = request instanceof LbsRequest.Append ? LbsCodec.APPEND_HEADER_LENGTH : record.length;
        byte[] cut = Arrays.copyOf(record, cutChoice % limit);
        assertThatThrownBy(() -> LbsCodec.decodeRequest(cut)).isInstanceOf(ProtocolException.class);
    }

    @Property
    void randomRequestRecordsParseOrFailWithAProtocolException(@ForAll @Size(max = 64) byte[] record,
                                                               @ForAll @IntRange(max = 4) int type) {
        if (record.length >= 4) {
            record[0] = 0;
            record[1] = 0;
            record[2] = 0;
            record[3] = (byte) type; // a known type most of the time, so the field parsers are exercised
        }
        try {
            LbsCodec.decodeRequest(record);
        } catch (ProtocolException expected) {
            // fine: a malformed request
        }
    }

    // ---- strict response decoding (what the C client rejects, lbs.md §2)

    @Test
    void malformedResponsesAreProtocolExceptions() {
        LbsRequest get = new LbsRequest.Get(3);
        assertBadResponse(get, "00000002", 0, "status 2");
        assertBadResponse(get, "00000001ff", 0, "trailing");
        assertBadResponse(get, "00000000" + "aabbcc", 4, "block of 3 bytes (expected: 4)");
        LbsRequest append = new LbsRequest.Append(1, 0, new byte[4]);
        assertBadResponse(append, "0000000100", 4, "trailing");
        assertBadResponse(append, "00000000000000", 4, "truncated at nextBlock");
        assertBadResponse(new LbsRequest.Free(0), "00000001", 0, "non-zero status");
        assertBadResponse(new LbsRequest.Params(), "00000200000000000000", 0, "truncated at nextBlock");
        assertBadResponse(new LbsRequest.Params2(), "00000200000000000000000000000000000000" + "0000", 0, "trailing");
    }

    @Property
    void randomResponseRecordsParseOrFailWithAProtocolException(@ForAll("requests") LbsRequest request,
                                                                @ForAll @Size(max = 40) byte[] record,
                                                                @ForAll @IntRange(max = 2) int status) {
        if (record.length >= 4) {
            record[0] = 0;
            record[1] = 0;
            record[2] = 0;
            record[3] = (byte) status;
        }
        try {
            LbsCodec.decodeResponse(request, record, 0);
        } catch (ProtocolException expected) {
            // fine: a malformed response
        }
    }

    // ---- helpers

    private static void assertMalformed(String hex, String messagePart) {
        byte[] record = HexFormat.of().parseHex(hex);
        assertThatThrownBy(() -> LbsCodec.decodeRequest(record)).as(hex)
                .isInstanceOf(ProtocolException.class).hasMessageContaining(messagePart);
    }

    private static void assertBadResponse(LbsRequest request, String hex, int blockSize, String messagePart) {
        byte[] record = HexFormat.of().parseHex(hex);
        assertThatThrownBy(() -> LbsCodec.decodeResponse(request, record, blockSize)).as("%s answered %s", request, hex)
                .isInstanceOf(ProtocolException.class).hasMessageContaining(messagePart);
    }

    /** Records holding arrays compare them by identity; compare their content instead. */
    static void assertSameRequest(LbsRequest actual, LbsRequest expected) {
        if (expected instanceof LbsRequest.Append) {
            assertThat(actual).isInstanceOf(LbsRequest.Append.class);
            LbsRequest.Append a = (LbsRequest.Append) actual;
            LbsRequest.Append e = (LbsRequest.Append) expected;
            assertThat(a.count()).isEqualTo(e.count());
            assertThat(a.block()).isEqualTo(e.block());
            assertThat(a.data()).isEqualTo(e.data());
        } else {
            assertThat(actual).isEqualTo(expected);
        }
    }

    static void assertSameResponse(LbsResponse actual, LbsResponse expected) {
        if (expected instanceof LbsResponse.Get) {
            assertThat(actual).isInstanceOf(LbsResponse.Get.class);
            assertThat(((LbsResponse.Get) actual).block()).isEqualTo(((LbsResponse.Get) expected).block());
        } else {
            assertThat(actual).isEqualTo(expected);
        }
    }
}
