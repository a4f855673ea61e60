package io.kivaloo.proto.kvlds;

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
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * {@link KvldsCodec}: every request and response survives encoding, framing
 * and decoding; request decoding is as strict as the C server's (kvlds.md §2).
 */
class KvldsCodecTest {

    // ---- generators

    @Provide
    Arbitrary<Key> keys() {
        return Arbitraries.oneOf(
                Arbitraries.bytes().array(byte[].class).ofMaxSize(Key.MAX_LENGTH).map(Key::wrap),
                Arbitraries.of(Key.EMPTY, Key.of(new byte[Key.MAX_LENGTH]), Key.of(new byte[] {(byte) 0xff})));
    }

    @Provide
    Arbitrary<KvldsRequest> requests() {
        return requests(keys());
    }

    /** One request of each type with keys and values from {@code k}; KvldsRequestValidatorTest's too. */
    static Arbitrary<KvldsRequest> requests(Arbitrary<Key> k) {
        Arbitrary<Long> budgets = Arbitraries.oneOf(Arbitraries.longs().between(0, 0xffffffffL), Arbitraries.of(0L, 0xffffffffL));
        return Arbitraries.oneOf(
                Arbitraries.just(new KvldsRequest.Params()),
                Combinators.combine(k, k).as(KvldsRequest.Set::new),
                Combinators.combine(k, k, k).as(KvldsRequest.Cas::new),
                Combinators.combine(k, k).as(KvldsRequest.Add::new),
                Combinators.combine(k, k).as(KvldsRequest.Modify::new),
                k.map(KvldsRequest.Delete::new),
                Combinators.combine(k, k).as(KvldsRequest.Cad::new),
                k.map(KvldsRequest.Get::new),
                Combinators.combine(budgets, k, k).as(KvldsRequest.Range::new));
    }

    /** A request and a well-formed answer to it. */
    record Exchange(KvldsRequest request, KvldsResponse response) {
    }

    @Provide
    Arbitrary<Exchange> exchanges() {
        Arbitrary<Key> k = keys();
        Arbitrary<KvldsResponse.Status> statuses = Arbitraries.of(KvldsResponse.Status.OK, KvldsResponse.Status.FAIL);
        Arbitrary<KvldsResponse.Pair> pairs = Combinators.combine(k, k).as(KvldsResponse.Pair::new);
        Arbitrary<Exchange> range = Combinators.combine(k, k, k, pairs.list().ofMaxSize(12))
                .as((start, end, next, list) -> new Exchange(
                        // The C client's bound: more than one pair needs a budget of 2 bytes per pair.
                        new KvldsRequest.Range(2L * list.size(), start, end), new KvldsResponse.Range(next, list)));
        return Arbitraries.oneOf(
                Combinators.combine(Arbitraries.integers(), Arbitraries.integers())
                        .as((kmax, vmax) -> new Exchange(new KvldsRequest.Params(), new KvldsResponse.Params(kmax, vmax))),
                Combinators.combine(k, k).as((key, v) -> new Exchange(new KvldsRequest.Set(key, v), KvldsResponse.Status.OK)),
                k.map(key -> new Exchange(new KvldsRequest.Delete(key), KvldsResponse.Status.OK)),
                Combinators.combine(k, statuses).as((key, s) -> new Exchange(new KvldsRequest.Cas(key, key, key), s)),
                Combinators.combine(k, statuses).as((key, s) -> new Exchange(new KvldsRequest.Add(key, key), s)),
                Combinators.combine(k, statuses).as((key, s) -> new Exchange(new KvldsRequest.Modify(key, key), s)),
                Combinators.combine(k, statuses).as((key, s) -> new Exchange(new KvldsRequest.Cad(key, key), s)),
                Combinators.combine(k, k).as((key, v) -> new Exchange(new KvldsRequest.Get(key), new KvldsResponse.Get(v))),
                k.map(key -> new Exchange(new KvldsRequest.Get(key), KvldsResponse.Get.ABSENT)),
                range);
    }

    // ---- round trips

    @Property
    void everyRequestSurvivesEncodingFramingAndDecoding(@ForAll("requests") KvldsRequest request, @ForAll long id)
            throws ProtocolException {
        byte[] record = Frames.throughTheWire(id, KvldsCodec.encodeRequest(request));
        assertThat(KvldsCodec.decodeRequest(record)).isEqualTo(request);
    }

    @Property
    void everyResponseSurvivesEncodingFramingAndDecoding(@ForAll("exchanges") Exchange exchange, @ForAll long id)
            throws ProtocolException {
        byte[] record = Frames.throughTheWire(id, KvldsCodec.encodeResponse(exchange.response()));
        assertThat(KvldsCodec.decodeResponse(exchange.request(), record)).isEqualTo(exchange.response());
    }

    @Test
    void recordsMatchTheWireVectors() {
        assertThat(KvldsCodec.encodeRequest(new KvldsRequest.Params())).isEqualTo(WireVectors.V2.record());
        assertThat(KvldsCodec.encodeRequest(new KvldsRequest.Set(Key.of("hello"), Key.of("world!"))))
                .isEqualTo(WireVectors.V3.record());
        assertThat(KvldsCodec.encodeResponse(new KvldsResponse.Get(Key.of("world!")))).isEqualTo(WireVectors.V5.record());
    }

    @Test
    void rangeRecordsLayOutBudgetThenStrings() {
        byte[] request = KvldsCodec.encodeRequest(new KvldsRequest.Range(0xfffffffeL, Key.of("a"), Key.EMPTY));
        assertThat(HexFormat.of().formatHex(request)).isEqualTo("00000131" + "fffffffe" + "0161" + "00");
        byte[] response = KvldsCodec.encodeResponse(new KvldsResponse.Range(Key.of("c"),
                List.of(new KvldsResponse.Pair(Key.of("a"), Key.of("1")), new KvldsResponse.Pair(Key.of("b"), Key.EMPTY))));
        assertThat(HexFormat.of().formatHex(response))
                .isEqualTo("00000000" + "00000002" + "0163" + "0161" + "0131" + "0162" + "00");
    }

    // ---- strict request decoding

    @Test
    void malformedRequestsAreProtocolExceptions() {
        assertMalformed("", "truncated at type");
        assertMalformed("000001", "truncated at type");
        assertMalformed("0000010000", "trailing");                     // PARAMS + 1 byte
        assertMalformed("000001300161ff", "trailing");                 // GET "a" + 1 byte
        assertMalformed("000001100161", "truncated at value");         // SET without a value
        assertMalformed("00000110" + "05" + "6865", "truncated at key"); // key says 5 bytes, 2 there
        assertMalformed("00000131000000100161", "truncated at end");   // RANGE without an end
        assertMalformed("00000131000010", "truncated at max");
        assertMalformed("00000000", "Unrecognized request type received: 0x00000000"); // an LBS PARAMS
        assertMalformed("00000132", "Unrecognized request type received: 0x00000132");
    }

    @Test
    void aRequestLongerThan772BytesIsRejectedBeforeItsTypeIsRead() {
        byte[] longest = KvldsCodec.encodeRequest(new KvldsRequest.Cas(
                Key.of(new byte[255]), Key.of(new byte[255]), Key.of(new byte[255])));
        assertThat(longest).hasSize(KvldsCodec.MAX_REQUEST_LENGTH).hasSize(772);
        assertThat(catchDecode(longest)).isNull();
        byte[] tooLong = Arrays.copyOf(longest, 773);
        assertThatThrownBy(() -> KvldsCodec.decodeRequest(tooLong)).isInstanceOf(ProtocolException.class)
                .hasMessage("KVLDS request length: 773 (expected: <= 772)");
        byte[] garbage = new byte[100_000];
        assertThatThrownBy(() -> KvldsCodec.decodeRequest(garbage)).isInstanceOf(ProtocolException.class)
                .hasMessageContaining("KVLDS request length: 100000");
    }

    @Property
    void aTrailingByteIsRejected(@ForAll("requests") KvldsRequest request, @ForAll byte extra) {
        byte[] record = KvldsCodec.encodeRequest(request);
        byte[] longer = Arrays.copyOf(record, record.length + 1);
        longer[record.length] = extra;
        assertThatThrownBy(() -> KvldsCodec.decodeRequest(longer)).isInstanceOf(ProtocolException.class);
    }

    @Property
    void aTruncatedRequestIsRejected(@ForAll("requests") KvldsRequest request, @ForAll @IntRange(min = 0) int cutChoice) {
        // Every field is self-delimiting, so no strict prefix of a request is a request.
        byte[] record = KvldsCodec.encodeRequest(request);
        byte[] cut = Arrays.copyOf(record, cutChoice % record.length);
        assertThatThrownBy(() -> KvldsCodec.decodeRequest(cut)).isInstanceOf(ProtocolException.class);
    }

    @Property
    void randomRequestRecordsParseOrFailWithAProtocolException(@ForAll @Size(max = 800) byte[] record,
                                                               @ForAll("typeCodes") int type) {
        if (record.length >= 4) {
            record[0] = (byte) (type >>> 24);
            record[1] = (byte) (type >>> 16);
            record[2] = (byte) (type >>> 8);
            record[3] = (byte) type;
        }
        try {
            KvldsCodec.decodeRequest(record);
        } catch (ProtocolException expected) {
            // fine: a malformed request
        }
    }

    @Provide
    Arbitrary<Integer> typeCodes() {
        return Arbitraries.oneOf(Arbitraries.integers(), Arbitraries.of(
                KvldsRequest.PARAMS, KvldsRequest.SET, KvldsRequest.CAS, KvldsRequest.ADD, KvldsRequest.MODIFY,
                KvldsRequest.DELETE, KvldsRequest.CAD, KvldsRequest.GET, KvldsRequest.RANGE));
    }

    // ---- strict response decoding (the C client parsers' checks, kvlds.md §2)

    @Test
    void malformedResponsesAreProtocolExceptions() {
        Key a = Key.of("a");
        assertBadResponse(new KvldsRequest.Set(a, a), "00000001", "status 1 (expected: 0)");
        assertBadResponse(new KvldsRequest.Delete(a), "0000000000", "trailing");
        assertBadResponse(new KvldsRequest.Cas(a, a, a), "00000002", "status 2 (expected: 0 or 1)");
        assertBadResponse(new KvldsRequest.Get(a), "0000000001", "truncated at value");
        assertBadResponse(new KvldsRequest.Get(a), "00000001" + "00", "trailing");
        assertBadResponse(new KvldsRequest.Get(a), "0000000001" + "6162", "trailing");
        assertBadResponse(new KvldsRequest.Params(), "00000001", "truncated at vmax");
        KvldsRequest.Range range = new KvldsRequest.Range(4, Key.EMPTY, Key.EMPTY);
        assertBadResponse(range, "00000001" + "00000000" + "00", "status 1 (expected: 0)");
        assertBadResponse(range, "00000000" + "00000003" + "00" + "0000" + "0000" + "0000", "3 pairs exceed budget 4");
        assertBadResponse(new KvldsRequest.Range(1000, Key.EMPTY, Key.EMPTY),
                "00000000" + "00000064" + "00" + "0000", "100 pairs cannot fit 2 bytes");
        assertBadResponse(range, "00000000" + "00000001" + "00" + "0161", "truncated at value");
    }

    @Test
    void oneRangePairIsAcceptedWhateverTheBudget() throws ProtocolException {
        // The C server always returns the first qualifying pair, even over a budget of 0.
        byte[] record = HexFormat.of().parseHex("00000000" + "00000001" + "00" + "0161" + "0162");
        KvldsResponse.Range r = (KvldsResponse.Range) KvldsCodec.decodeResponse(new KvldsRequest.Range(0, Key.EMPTY, Key.EMPTY), record);
        assertThat(r.pairs()).containsExactly(new KvldsResponse.Pair(Key.of("a"), Key.of("b")));
        assertThat(r.next()).isEqualTo(Key.EMPTY);
    }

    @Property
    void randomResponseRecordsParseOrFailWithAProtocolException(@ForAll("requests") KvldsRequest request,
                                                                @ForAll @Size(max = 300) byte[] record,
                                                                @ForAll @IntRange(max = 2) int status) {
        if (record.length >= 4) {
            record[0] = 0;
            record[1] = 0;
            record[2] = 0;
            record[3] = (byte) status;
        }
        try {
            KvldsCodec.decodeResponse(request, record);
        } catch (ProtocolException expected) {
            // fine: a malformed response
        }
    }

    // ---- helpers

    private static ProtocolException catchDecode(byte[] record) {
        try {
            KvldsCodec.decodeRequest(record);
            return null;
        } catch (ProtocolException e) {
            return e;
        }
    }

    private static void assertMalformed(String hex, String messagePart) {
        byte[] record = HexFormat.of().parseHex(hex);
        assertThatThrownBy(() -> KvldsCodec.decodeRequest(record)).as(hex)
                .isInstanceOf(ProtocolException.class).hasMessageContaining(messagePart);
    }

    private static void assertBadResponse(KvldsRequest request, String hex, String messagePart) {
        byte[] record = HexFormat.of().parseHex(hex);
        assertThatThrownBy(() -> KvldsCodec.decodeResponse(request, record)).as("%s answered %s", request, hex)
                .isInstanceOf(ProtocolException.class).hasMessageContaining(messagePart);
    }
}
