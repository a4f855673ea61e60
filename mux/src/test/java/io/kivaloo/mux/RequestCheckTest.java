package io.kivaloo.mux;

import io.kivaloo.proto.kvlds.Key;
import io.kivaloo.proto.kvlds.KvldsCodec;
import io.kivaloo.proto.kvlds.KvldsRequest;
import io.kivaloo.proto.kvlds.KvldsResponse;
import io.kivaloo.proto.kvlds.SizeLimits;
import io.kivaloo.proto.wire.Frames;
import io.kivaloo.proto.wire.ProtocolException;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The check runs on whole frames as received; these build them with proto's encoder. */
class RequestCheckTest {

    private static final Key K11 = Key.of("k".repeat(11));
    private static final Key V21 = Key.of("v".repeat(21));
    private static final Key SHORT = Key.of("x");

    private static RequestCheck limited() {
        RequestCheck check = RequestCheck.kvlds();
        check.learn(new KvldsResponse.Params(10, 20));
        return check;
    }

    private static byte[] frame(byte[] record) {
        return Frames.packet(77, record);
    }

    @Test
    void everyWellFormedRequestWithinLimitsPasses() {
        RequestCheck check = limited();
        for (KvldsRequest r : List.of(new KvldsRequest.Params(), new KvldsRequest.Set(SHORT, SHORT),
                new KvldsRequest.Cas(SHORT, V21, SHORT), new KvldsRequest.Add(SHORT, SHORT),
                new KvldsRequest.Modify(SHORT, SHORT), new KvldsRequest.Delete(K11), new KvldsRequest.Cad(K11, V21),
                new KvldsRequest.Get(Key.of("g".repeat(255))), new KvldsRequest.Range(0xffffffffL, K11, K11))) {
            assertThatCode(() -> check.check(frame(KvldsCodec.encodeRequest(r)))).as(r.toString()).doesNotThrowAnyException();
        }
    }

    /** kvlds drops the connection for these (kvlds.md §2); CAS checks the new value, not the old one. */
    @Test
    void keyOrValueOverTheLimitsIsRejected() {
        RequestCheck check = limited();
        for (KvldsRequest r : List.of(new KvldsRequest.Set(K11, SHORT), new KvldsRequest.Set(SHORT, V21),
                new KvldsRequest.Cas(K11, SHORT, SHORT), new KvldsRequest.Cas(SHORT, SHORT, V21),
                new KvldsRequest.Add(SHORT, V21), new KvldsRequest.Modify(K11, SHORT))) {
            assertThatThrownBy(() -> check.check(frame(KvldsCodec.encodeRequest(r)))).as(r.toString())
                    .isInstanceOf(ProtocolException.class).hasMessageContaining("bytes (expected: <=");
        }
    }

    @Test
    void malformedRecordsAreRejected() {
        RequestCheck check = RequestCheck.kvlds();
        byte[] get = KvldsCodec.encodeRequest(new KvldsRequest.Get(SHORT));
        for (byte[] bad : List.of(new byte[0], new byte[] {0, 0, 1}, java.util.Arrays.copyOf(get, get.length - 1),
                java.util.Arrays.copyOf(get, get.length + 1), new byte[] {0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0},
                new byte[KvldsCodec.MAX_REQUEST_LENGTH + 1])) {
            assertThatThrownBy(() -> check.check(frame(bad))).isInstanceOf(ProtocolException.class);
        }
    }

    /**
     * Whatever the bytes, the check in place passes exactly the records that
     * the decoder accepts within the limits (what mux checked before it
     * checked in place), and throws ProtocolException for the rest: nothing
     * else escapes.
     */
    @Test
    void randomRecordsAreJudgedAsTheDecoderAndTheLimitsJudgeThem() {
        Random random = new Random(42);
        RequestCheck check = limited();
        for (int i = 0; i < 100_000; i++) {
            byte[] record = new byte[random.nextInt(40)];
            random.nextBytes(record);
            if (record.length >= 4 && random.nextBoolean()) {
                record[0] = 0;
                record[1] = 0;
                record[2] = 1;
                record[3] = (byte) (0x10 + random.nextInt(0x30));
            }
            boolean passed;
            try {
                check.check(frame(record));
                passed = true;
            } catch (ProtocolException rejected) {
                passed = false;
            }
            assertThat(passed).as(java.util.HexFormat.of().formatHex(record)).isEqualTo(decodesWithinLimits(record, 10, 20));
        }
    }

    /**
     * The check mux made before it checked in place: decode, then the limits
     * on SET, CAS's new value, ADD and MODIFY, read from the decoded request.
     */
    private static boolean decodesWithinLimits(byte[] record, int maxKeyLength, int maxValueLength) {
        try {
            return new SizeLimits(maxKeyLength, maxValueLength).violation(KvldsCodec.decodeRequest(record)) == null;
        } catch (ProtocolException e) {
            return false;
        }
    }

    /** The charge is the longest answer: read in place from a RANGE's max, bounded; a small answer otherwise. */
    @Test
    void chargeIsTheLongestAnswerTheRequestCanGet() throws ProtocolException {
        RequestCheck check = limited();
        long overhead = io.kivaloo.proto.wire.WireFormat.OVERHEAD;
        assertThat(check.check(frame(KvldsCodec.encodeRequest(new KvldsRequest.Get(K11)))))
                .isEqualTo(RequestCheck.SMALL_ANSWER_CHARGE);
        assertThat(check.check(frame(KvldsCodec.encodeRequest(new KvldsRequest.Range(1000, SHORT, K11)))))
                .isEqualTo(overhead + KvldsCodec.RANGE_RESPONSE_HEAD + 1000 + 2 + 2 * Key.MAX_LENGTH);
        assertThat(check.check(frame(KvldsCodec.encodeRequest(new KvldsRequest.Range(0xffffffffL, SHORT, K11)))))
                .isEqualTo(overhead + KvldsCodec.MAX_RESPONSE_LENGTH);
    }

    @Test
    void forwardAnyPassesAnything() {
        RequestCheck check = RequestCheck.forwardAny(100);
        assertThat(check.isKvlds()).isFalse();
        assertThat(check.maxRecordLength()).isEqualTo(100);
        assertThatCode(() -> check.check(frame(new byte[] {1, 2, 3}))).doesNotThrowAnyException();
    }

    @Test
    void backoffDoublesToItsCapAndRestartsAfterSuccess() {
        Backoff backoff = new Backoff(50, 300);
        assertThat(List.of(backoff.nextDelayMillis(), backoff.nextDelayMillis(), backoff.nextDelayMillis(),
                backoff.nextDelayMillis(), backoff.nextDelayMillis())).containsExactly(50L, 100L, 200L, 300L, 300L);
        backoff.reset();
        assertThat(backoff.nextDelayMillis()).isEqualTo(50L);
    }
}
