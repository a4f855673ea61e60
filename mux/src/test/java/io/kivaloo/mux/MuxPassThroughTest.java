package io.kivaloo.mux;

import io.kivaloo.proto.kvlds.Key;
import io.kivaloo.proto.kvlds.KvldsCodec;
import io.kivaloo.proto.kvlds.KvldsRequest;
import io.kivaloo.proto.wire.Frames;
import io.kivaloo.proto.wire.Packet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * mux forwards records without re-encoding them (DESIGN.md "Forwarding
 * without re-encoding"), and what it puts on the wire is what a framing from
 * scratch would: every frame is compared byte for byte with one built by
 * {@link Frames#referencePacket}, whose CRCs come from the bit-level
 * algorithm of wire.md §3.1, not from the code under test. The refusals of
 * malformed requests are {@link MuxClientFailureTest}'s and
 * {@link RequestCheckTest}'s, and proto's {@code KvldsRequestValidatorTest}
 * holds the check to the decoder on every input.
 */
class MuxPassThroughTest {

    private static final long SEED = 0x70617373L;
    private static final int REQUESTS = 300;

    @TempDir
    Path dir;

    @Test
    void recordsPassByteForByteBothWaysUnderRewrittenIdsAndCrcs() throws Exception {
        Random random = new Random(SEED);
        try (StubbedMux m = new StubbedMux(dir, SEED)) {
            TestClient client = m.client();
            List<Long> clientIds = new ArrayList<>();
            List<byte[]> records = new ArrayList<>();
            ByteArrayOutputStream sent = new ByteArrayOutputStream();
            for (int i = 0; i < REQUESTS; i++) {
                long id = i % 10 == 0 ? -1L - i : random.nextLong(); // some near 2^64, which mux must not confuse
                byte[] record = KvldsCodec.encodeRequest(randomRequest(random));
                clientIds.add(id);
                records.add(record);
                sent.writeBytes(Frames.referencePacket(id, record));
            }
            client.sendRaw(sent.toByteArray());

            // Upstream: the same records, in order, under mux's own IDs, framed as from scratch.
            List<StubTarget.Received> received = new ArrayList<>();
            Set<Long> upstreamIds = new HashSet<>();
            ByteArrayOutputStream expectedUpstream = new ByteArrayOutputStream();
            expectedUpstream.writeBytes(Frames.referencePacket(0, KvldsCodec.encodeRequest(new KvldsRequest.Params())));
            for (int i = 0; i < REQUESTS; i++) {
                StubTarget.Received r = m.stub.take();
                assertThat(r.packet().record()).as("record %d upstream", i).isEqualTo(records.get(i));
                assertThat(upstreamIds.add(r.packet().id())).as("upstream ID reused").isTrue();
                expectedUpstream.writeBytes(Frames.referencePacket(r.packet().id(), records.get(i)));
                received.add(r);
            }
            assertThat(m.stub.rawReceived()).isEqualTo(expectedUpstream.toByteArray());

            // Back: answers in a shuffled order, each under the client's ID, framed as from scratch.
            List<Integer> order = new ArrayList<>();
            for (int i = 0; i < REQUESTS; i++) {
                order.add(i);
            }
            Collections.shuffle(order, random);
            ByteArrayOutputStream expectedBack = new ByteArrayOutputStream();
            for (int i : order) {
                byte[] answer = new byte[random.nextInt(300)];
                random.nextBytes(answer);
                received.get(i).answer(answer);
                expectedBack.writeBytes(Frames.referencePacket(clientIds.get(i), answer));
            }
            for (int i : order) {
                Packet p = client.take();
                assertThat(p.id()).isEqualTo(clientIds.get(i));
            }
            assertThat(client.rawReceived()).isEqualTo(expectedBack.toByteArray());
            assertThat(m.mux.requestsInFlight()).isZero();
        }
    }

    /**
     * A request of any type but PARAMS (which the stub answers by itself),
     * keys and values of any length mux accepts under the stub's limits (255).
     */
    private static KvldsRequest randomRequest(Random random) {
        Key a = randomKey(random);
        Key b = randomKey(random);
        switch (random.nextInt(8)) {
            case 0: return new KvldsRequest.Set(a, b);
            case 1: return new KvldsRequest.Cas(a, b, randomKey(random));
            case 2: return new KvldsRequest.Add(a, b);
            case 3: return new KvldsRequest.Modify(a, b);
            case 4: return new KvldsRequest.Delete(a);
            case 5: return new KvldsRequest.Cad(a, b);
            case 6: return new KvldsRequest.Get(a);
            // A small max: each RANGE is charged its max until answered, and all wait here at once (--max-client-bytes).
            default: return new KvldsRequest.Range(random.nextInt(4096), a, b);
        }
    }

    private static Key randomKey(Random random) {
        byte[] bytes = new byte[random.nextBoolean() ? random.nextInt(16) : random.nextInt(Key.MAX_LENGTH + 1)];
        random.nextBytes(bytes);
        return Key.wrap(bytes);
    }
}
