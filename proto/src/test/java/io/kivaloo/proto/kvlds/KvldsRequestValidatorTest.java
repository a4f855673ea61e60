package io.kivaloo.proto.kvlds;

import io.kivaloo.proto.wire.ProtocolException;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;
import net.jqwik.api.statistics.Statistics;
import org.junit.jupiter.api.Test;

import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * {@link KvldsRequestValidator} accepts exactly what {@link KvldsCodec#decodeRequest}
 * decodes and whose key and value are within the limits (for SET, CAS's new
 * value, ADD and MODIFY; compared unsigned, as kvlds does, by
 * {@link SizeLimits#violation(KvldsRequest)} on the decoded request), on
 * random, well-formed and mutated records, read in place inside a larger array.
 */
class KvldsRequestValidatorTest {

    private static final int[] TYPES = {KvldsRequest.PARAMS, KvldsRequest.SET, KvldsRequest.CAS, KvldsRequest.ADD,
            KvldsRequest.MODIFY, KvldsRequest.DELETE, KvldsRequest.CAD, KvldsRequest.GET, KvldsRequest.RANGE};

    /** One input: a record placed at {@code offset} in {@code bytes}, among unrelated bytes, and the limits. */
    record Case(byte[] bytes, int offset, int length, int maxKeyLength, int maxValueLength) {
        byte[] record() {
            return Arrays.copyOfRange(bytes, offset, offset + length);
        }

        @Override
        public String toString() {
            return "Case[record=" + java.util.HexFormat.of().formatHex(record()) + ", kmax=" + maxKeyLength
                    + ", vmax=" + maxValueLength + "]";
        }
    }

    // ---- the property

    @Property(tries = 20_000)
    void validatorAndDecoderAgreeOnEveryRecord(@ForAll("cases") Case c) throws ProtocolException {
        KvldsRequest decoded = reference(c.record(), c.maxKeyLength(), c.maxValueLength());
        Integer type;
        try {
            type = KvldsRequestValidator.validate(c.bytes(), c.offset(), c.length(),
                    new SizeLimits(c.maxKeyLength(), c.maxValueLength()));
        } catch (ProtocolException rejected) {
            type = null;
        }
        Statistics.label("outcome").collect(decoded == null ? "rejected" : "accepted");
        if (decoded == null) {
            assertThat(type).as("validator accepted what the decoder (or the limits) reject").isNull();
            return;
        }
        assertThat(type).as("validator rejected what the decoder accepts within the limits").isEqualTo(decoded.type());
        if (decoded instanceof KvldsRequest.Range) {
            assertThat(KvldsRequestValidator.rangeMaxBytes(c.bytes(), c.offset()))
                    .isEqualTo(((KvldsRequest.Range) decoded).maxBytes());
        }
    }

    /**
     * What mux checked before the validator: the record decodes, and the
     * request is within the limits by {@link SizeLimits#violation(KvldsRequest)},
     * which reads the decoded request, not the bytes. Null if rejected.
     */
    private static KvldsRequest reference(byte[] record, int maxKeyLength, int maxValueLength) {
        try {
            KvldsRequest request = KvldsCodec.decodeRequest(record);
            return new SizeLimits(maxKeyLength, maxValueLength).violation(request) == null ? request : null;
        } catch (ProtocolException e) {
            return null;
        }
    }

    // ---- generators

    @Provide
    Arbitrary<Case> cases() {
        Arbitrary<Integer> limits = Arbitraries.oneOf(Arbitraries.integers().between(0, 260),
                Arbitraries.of(0, 1, 255, 256, -1, Integer.MIN_VALUE, Integer.MAX_VALUE));
        Arbitrary<byte[]> around = Arbitraries.bytes().array(byte[].class).ofMaxSize(24);
        return Combinators.combine(records(), around, around, limits, limits).as((record, before, after, kmax, vmax) -> {
            byte[] bytes = new byte[before.length + record.length + after.length];
            System.arraycopy(before, 0, bytes, 0, before.length);
            System.arraycopy(record, 0, bytes, before.length, record.length);
            System.arraycopy(after, 0, bytes, before.length + record.length, after.length);
            return new Case(bytes, before.length, record.length, kmax, vmax);
        });
    }

    private Arbitrary<byte[]> records() {
        Arbitrary<byte[]> wellFormed = requests().map(KvldsCodec::encodeRequest);
        return Arbitraries.frequencyOf(
                Tuple.of(3, wellFormed),
                Tuple.of(1, Arbitraries.bytes().array(byte[].class).ofMaxSize(KvldsCodec.MAX_REQUEST_LENGTH + 30)),
                Tuple.of(2, typedNoise()),
                Tuple.of(4, mutated(wellFormed)));
    }

    /** A known type code followed by random bytes, mostly short: the body's strings rarely fit by chance. */
    private Arbitrary<byte[]> typedNoise() {
        Arbitrary<byte[]> bodies = Arbitraries.oneOf(Arbitraries.bytes().array(byte[].class).ofMaxSize(12),
                Arbitraries.bytes().array(byte[].class).ofMaxSize(800));
        return Combinators.combine(Arbitraries.of(toList(TYPES)), bodies).as((type, body) -> withType(type, body, 0));
    }

    /** A well-formed record with one change of the kinds that break a parser. */
    private Arbitrary<byte[]> mutated(Arbitrary<byte[]> wellFormed) {
        Arbitrary<Integer> positions = Arbitraries.integers().between(0, Integer.MAX_VALUE);
        Arbitrary<byte[]> extra = Arbitraries.bytes().array(byte[].class).ofMinSize(1).ofMaxSize(8);
        return Combinators.combine(wellFormed, Arbitraries.integers().between(0, 4), positions, Arbitraries.bytes(), extra,
                Arbitraries.of(toList(TYPES))).as((record, kind, position, value, more, type) -> {
                    int at = record.length == 0 ? 0 : position % record.length;
                    switch (kind) {
                        case 0: { // one bit flipped
                            byte[] r = record.clone();
                            r[at] ^= (byte) (1 << (position % 8));
                            return r;
                        }
                        case 1: // cut short
                            return Arrays.copyOf(record, at);
                        case 2: { // bytes added at the end
                            byte[] r = Arrays.copyOf(record, record.length + more.length);
                            System.arraycopy(more, 0, r, record.length, more.length);
                            return r;
                        }
                        case 3: { // one byte set to any value (a length byte, often)
                            byte[] r = record.clone();
                            r[Math.max(at, Math.min(4, r.length - 1))] = value;
                            return r;
                        }
                        default: // another type's body under this type
                            return withType(type, record, 4);
                    }
                });
    }

    @Provide
    Arbitrary<KvldsRequest> requests() {
        // Short keys too, so that lengths near the limits (0..260) come up often.
        return KvldsCodecTest.requests(Arbitraries.oneOf(
                Arbitraries.bytes().array(byte[].class).ofMaxSize(Key.MAX_LENGTH).map(Key::wrap),
                Arbitraries.bytes().array(byte[].class).ofMaxSize(24).map(Key::wrap),
                Arbitraries.of(Key.EMPTY, Key.of(new byte[Key.MAX_LENGTH]), Key.of(new byte[Key.MAX_LENGTH - 1]))));
    }

    // ---- every small change of every request type, exhaustively

    /** Every bit flip, every cut and every one-byte extension of a request of each type, each limit at its edge. */
    @Test
    void everySingleChangeOfEachRequestTypeIsJudgedAsTheDecoderJudgesIt() throws ProtocolException {
        Key key = Key.of("key-0123");
        Key value = Key.of("value-0123456789");
        List<KvldsRequest> requests = List.of(new KvldsRequest.Params(), new KvldsRequest.Set(key, value),
                new KvldsRequest.Cas(key, value, key), new KvldsRequest.Add(key, value), new KvldsRequest.Modify(key, value),
                new KvldsRequest.Delete(key), new KvldsRequest.Cad(key, value), new KvldsRequest.Get(key),
                new KvldsRequest.Range(1000, key, value),
                new KvldsRequest.Cas(Key.of(new byte[255]), Key.of(new byte[255]), Key.of(new byte[255])));
        int[][] limits = {{255, 255}, {8, 16}, {7, 16}, {8, 15}, {0, 0}};
        int checked = 0;
        for (KvldsRequest request : requests) {
            byte[] record = KvldsCodec.encodeRequest(request);
            List<byte[]> variants = new ArrayList<>();
            variants.add(record);
            for (int i = 0; i < record.length * 8; i++) {
                byte[] r = record.clone();
                r[i / 8] ^= (byte) (1 << (i % 8));
                variants.add(r);
            }
            for (int cut = 0; cut < record.length; cut++) {
                variants.add(Arrays.copyOf(record, cut));
            }
            for (int b = 0; b < 256; b++) {
                byte[] r = Arrays.copyOf(record, record.length + 1);
                r[record.length] = (byte) b;
                variants.add(r);
            }
            for (byte[] variant : variants) {
                for (int[] limit : limits) {
                    KvldsRequest decoded = reference(variant, limit[0], limit[1]);
                    Integer type;
                    try {
                        type = KvldsRequestValidator.validate(variant, 0, variant.length, new SizeLimits(limit[0], limit[1]));
                    } catch (ProtocolException rejected) {
                        type = null;
                    }
                    assertThat(type).as("%s kmax=%d vmax=%d", java.util.HexFormat.of().formatHex(variant), limit[0], limit[1])
                            .isEqualTo(decoded == null ? null : decoded.type());
                    checked++;
                }
            }
        }
        assertThat(checked).isGreaterThan(30_000);
    }

    // ---- messages and allocation

    @Test
    void rejectionsSayWhatAndWhere() {
        SizeLimits limits = new SizeLimits(10, 20);
        byte[] tooLong = new byte[KvldsCodec.MAX_REQUEST_LENGTH + 1];
        assertThatThrownBy(() -> KvldsRequestValidator.validate(tooLong, 0, tooLong.length, limits))
                .hasMessage("KVLDS request length: 773 (expected: <= 772)");
        byte[] unknown = {0, 0, 0x09, (byte) 0x99};
        assertThatThrownBy(() -> KvldsRequestValidator.validate(unknown, 0, 4, limits))
                .hasMessage("Unrecognized request type received: 0x00000999");
        byte[] cut = {9, 9, 0, 0, 1, 0x30, 5, 'a'};
        assertThatThrownBy(() -> KvldsRequestValidator.validate(cut, 2, 6, limits))
                .hasMessage("KVLDS request: truncated at key: need 6 bytes at offset 4, record length 6");
        byte[] set = KvldsCodec.encodeRequest(new KvldsRequest.Set(Key.of("k".repeat(11)), Key.of("v")));
        assertThatThrownBy(() -> KvldsRequestValidator.validate(set, 0, set.length, limits))
                .hasMessage("KVLDS SET key 11 bytes (expected: <= 10)");
        byte[] get = Arrays.copyOf(KvldsCodec.encodeRequest(new KvldsRequest.Get(Key.of("k"))), 8);
        assertThatThrownBy(() -> KvldsRequestValidator.validate(get, 0, get.length, limits))
                .hasMessage("KVLDS request: 2 trailing bytes (record length 8)");
    }

    /**
     * The point of the validator: checking a request costs no garbage. A
     * single object per call would show as hundreds of KB over these calls;
     * the bound leaves room for the measurement's own allocations.
     */
    @Test
    void acceptingARequestAllocatesNothing() throws ProtocolException {
        com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        byte[] cas = KvldsCodec.encodeRequest(new KvldsRequest.Cas(Key.of("key"), Key.of("old"), Key.of("new")));
        byte[] range = KvldsCodec.encodeRequest(new KvldsRequest.Range(4096, Key.of("a"), Key.of("z")));
        SizeLimits limits = new SizeLimits(255, 255);
        int calls = 20_000;
        long sum = KvldsRequestValidator.validate(cas, 0, cas.length, limits) - KvldsRequest.CAS; // loaded, linked
        long before = threads.getCurrentThreadAllocatedBytes();
        for (int i = 0; i < calls; i++) {
            sum += KvldsRequestValidator.validate(cas, 0, cas.length, limits);
            sum += KvldsRequestValidator.validate(range, 0, range.length, limits);
        }
        long allocated = threads.getCurrentThreadAllocatedBytes() - before;
        assertThat(sum).isEqualTo((long) calls * (KvldsRequest.CAS + KvldsRequest.RANGE));
        assertThat(allocated).as("bytes allocated by %d validations", 2 * calls).isLessThan(16 * 1024);
    }

    private static byte[] withType(int type, byte[] body, int from) {
        int bodyLength = Math.max(0, body.length - from);
        byte[] r = new byte[4 + bodyLength];
        r[0] = (byte) (type >>> 24);
        r[1] = (byte) (type >>> 16);
        r[2] = (byte) (type >>> 8);
        r[3] = (byte) type;
        System.arraycopy(body, Math.min(from, body.length), r, 4, bodyLength);
        return r;
    }

    private static List<Integer> toList(int[] values) {
        List<Integer> list = new ArrayList<>();
        for (int v : values) {
            list.add(v);
        }
        return list;
    }
}
