package io.kivaloo.mux;

import io.kivaloo.proto.kvlds.Key;
import io.kivaloo.proto.kvlds.KvldsCodec;
import io.kivaloo.proto.kvlds.KvldsRequest;
import io.kivaloo.proto.kvlds.KvldsResponse;
import io.kivaloo.proto.wire.ProtocolException;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class RequestCheckTest {

    private static final Key K11 = Key.of("k".repeat(11));
    private static final Key V21 = Key.of("v".repeat(21));
    private static final Key SHORT = Key.of("x");

    private static RequestCheck limited() {
        RequestCheck check = RequestCheck.kvlds();
        check.learn(new KvldsResponse.Params(10, 20));
        return check;
    }

    @Test
    void everyWellFormedRequestWithinLimitsPasses() {
        RequestCheck check = limited();
        for (KvldsRequest r : List.of(new KvldsRequest.Params(), new KvldsRequest.Set(SHORT, SHORT),
                new KvldsRequest.Cas(SHORT, V21, SHORT), new KvldsRequest.Add(SHORT, SHORT),
                new KvldsRequest.Modify(SHORT, SHORT), new KvldsRequest.Delete(K11), new KvldsRequest.Cad(K11, V21),
                new KvldsRequest.Get(Key.of("g".repeat(255))), new KvldsRequest.Range(0xffffffffL, K11, K11))) {
            assertThatCode(() -> check.check(KvldsCodec.encodeRequest(r))).as(r.toString()).doesNotThrowAnyException();
        }
    }

    /** kvlds drops the connection for these (kvlds.md §2); CAS checks the new value, not the old one. */
    @Test
    void keyOrValueOverTheLimitsIsRejected() {
        RequestCheck check = limited();
        for (KvldsRequest r : List.of(new KvldsRequest.Set(K11, SHORT), new KvldsRequest.Set(SHORT, V21),
                new KvldsRequest.Cas(K11, SHORT, SHORT), new KvldsRequest.Cas(SHORT, SHORT, V21),
                new KvldsRequest.Add(SHORT, V21), new KvldsRequest.Modify(K11, SHORT))) {
            assertThatThrownBy(() -> check.check(KvldsCodec.encodeRequest(r))).as(r.toString())
                    .isInstanceOf(ProtocolException.class).hasMessageContaining("length");
        }
    }

    @Test
    void malformedRecordsAreRejected() {
        RequestCheck check = RequestCheck.kvlds();
        byte[] get = KvldsCodec.encodeRequest(new KvldsRequest.Get(SHORT));
        for (byte[] bad : List.of(new byte[0], new byte[] {0, 0, 1}, java.util.Arrays.copyOf(get, get.length - 1),
                java.util.Arrays.copyOf(get, get.length + 1), new byte[] {0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0},
                new byte[KvldsCodec.MAX_REQUEST_LENGTH + 1])) {
            assertThatThrownBy(() -> check.check(bad)).isInstanceOf(ProtocolException.class);
        }
    }

    /** Whatever the bytes, the check either passes a record that decodes or throws ProtocolException: nothing else escapes. */
    @Test
    void randomRecordsNeverEscapeAsAnotherException() {
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
            try {
                check.check(record);
                assertThat(KvldsCodec.decodeRequest(record)).isNotNull();
            } catch (ProtocolException expected) {
                // rejected: fine
            }
        }
    }

    @Test
    void forwardAnyPassesAnything() {
        RequestCheck check = RequestCheck.forwardAny(100);
        assertThat(check.isKvlds()).isFalse();
        assertThat(check.maxRecordLength()).isEqualTo(100);
        assertThatCode(() -> check.check(new byte[] {1, 2, 3})).doesNotThrowAnyException();
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
