package io.kivaloo.mux;

import io.kivaloo.proto.wire.Frames;
import io.kivaloo.proto.wire.Packet;
import io.kivaloo.proto.wire.WireFormat;
import io.netty.channel.socket.DuplexChannel;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A misbehaving client loses its own connection and nothing else: the
 * target never sees its bad request, and another client, connected all
 * along, keeps being served over the same upstream connection.
 */
class MuxClientFailureTest {

    private static final long SEED = 20261125L;

    @TempDir
    Path dir;

    /** Sends {@code bytes} from a fresh client, checks that it alone is closed and the target never saw them. */
    private void closesOnlyTheOffender(StubbedMux m, byte[] bytes) throws Exception {
        m.stub.answering(StubTarget::echoKey);
        TestClient bystander = m.client();
        bystander.send(7, StubbedMux.get("before"));
        assertThat(bystander.take().record()).isEqualTo(StubbedMux.echoed("before"));

        TestClient offender = m.client();
        offender.sendRaw(bytes);
        offender.awaitClosed();
        assertThat(offender.responses()).isEmpty();

        bystander.send(8, StubbedMux.get("after"));
        Packet answer = bystander.take();
        assertThat(answer.id()).isEqualTo(8);
        assertThat(answer.record()).isEqualTo(StubbedMux.echoed("after"));
        assertThat(m.stub.received()).extracting(r -> r.packet().record().length)
                .containsExactly(StubbedMux.get("before").length, StubbedMux.get("after").length);
        assertThat(m.mux.targetConnections()).isEqualTo(1);
        assertThat(m.mux.requestsInFlight()).isZero();
    }

    @Test
    void garbageBytesCloseOnlyThatClient() throws Exception {
        byte[] garbage = new byte[64];
        new Random(SEED).nextBytes(garbage);
        try (StubbedMux m = new StubbedMux(dir, SEED)) {
            closesOnlyTheOffender(m, garbage);
        }
    }

    @Test
    void badRecordCrcClosesOnlyThatClient() throws Exception {
        byte[] packet = Frames.packet(1, StubbedMux.get("x"));
        packet[WireFormat.HEADER_LENGTH + 2] ^= 0x40;
        try (StubbedMux m = new StubbedMux(dir, SEED)) {
            closesOnlyTheOffender(m, packet);
        }
    }

    @Test
    void badHeaderCrcClosesOnlyThatClient() throws Exception {
        byte[] packet = Frames.packet(1, StubbedMux.get("x"));
        packet[WireFormat.HEADER_CRC_OFFSET] ^= 0x01;
        try (StubbedMux m = new StubbedMux(dir, SEED)) {
            closesOnlyTheOffender(m, packet);
        }
    }

    /** A valid header announcing 2^31-65 bytes: closed at once, without waiting for (or allocating) the body. */
    @Test
    void hugeRecordLengthClosesAtOnceWithoutTheBody() throws Exception {
        byte[] header = Frames.header(1, WireFormat.MAX_RECORD_LENGTH);
        try (StubbedMux m = new StubbedMux(dir, SEED)) {
            closesOnlyTheOffender(m, header);
        }
    }

    /** Even in forward-any mode a record longer than --max-request-length is refused before it is buffered. */
    @Test
    void recordLongerThanForwardAnyLimitClosesAtOnce() throws Exception {
        try (StubbedMux m = new StubbedMux(dir, SEED, c -> c.withForwardAny(true).withMaxRequestLength(1000))) {
            closesOnlyTheOffender(m, Frames.header(1, 1001));
        }
    }

    @Test
    void unknownRequestTypeClosesOnlyThatClient() throws Exception {
        try (StubbedMux m = new StubbedMux(dir, SEED)) {
            closesOnlyTheOffender(m, Frames.packet(3, new byte[] {0, 0, 0x09, (byte) 0x99}));
        }
    }

    @Test
    void lbsRequestSentToKvldsClosesOnlyThatClient() throws Exception {
        try (StubbedMux m = new StubbedMux(dir, SEED)) {
            closesOnlyTheOffender(m, Frames.packet(3, new byte[] {0, 0, 0, 0}));
        }
    }

    @Test
    void requestWithTrailingByteClosesOnlyThatClient() throws Exception {
        byte[] get = StubbedMux.get("k");
        byte[] longer = java.util.Arrays.copyOf(get, get.length + 1);
        try (StubbedMux m = new StubbedMux(dir, SEED)) {
            closesOnlyTheOffender(m, Frames.packet(3, longer));
        }
    }

    @Test
    void emptyRecordClosesOnlyThatClient() throws Exception {
        try (StubbedMux m = new StubbedMux(dir, SEED)) {
            closesOnlyTheOffender(m, Frames.packet(3, new byte[0]));
        }
    }

    /** The stub says kmax = 10 and vmax = 20, as a kvlds started with -k 10 -v 20 would. */
    @Test
    void keyOrValueOverTheTargetsLimitsClosesOnlyThatClient() throws Exception {
        try (StubbedMux m = new StubbedMux(dir, 10, 20, SEED, c -> c)) {
            closesOnlyTheOffender(m, Frames.packet(3, StubbedMux.set("k".repeat(11), "v")));
        }
        try (StubbedMux m = new StubbedMux(dir, 10, 20, SEED, c -> c)) {
            closesOnlyTheOffender(m, Frames.packet(3, StubbedMux.set("k", "v".repeat(21))));
        }
    }

    @Test
    void longKeysAreFineWhereKvldsAcceptsThem() throws Exception {
        try (StubbedMux m = new StubbedMux(dir, 10, 20, SEED, c -> c)) {
            m.stub.answering(StubTarget::echoKey);
            TestClient client = m.client();
            client.send(1, StubbedMux.get("k".repeat(200)));
            client.send(2, StubbedMux.set("k".repeat(10), "v".repeat(20)));
            assertThat(List.of(client.take().id(), client.take().id())).containsExactlyInAnyOrder(1L, 2L);
        }
    }

    @Test
    void forwardAnyPassesRecordsKvldsWouldReject() throws Exception {
        try (StubbedMux m = new StubbedMux(dir, SEED, c -> c.withForwardAny(true))) {
            m.stub.answering(p -> new byte[] {42});
            TestClient client = m.client();
            client.send(5, new byte[0]);
            client.send(6, new byte[] {0, 0, 0x09, (byte) 0x99, 1, 2, 3});
            assertThat(List.of(client.take(), client.take())).extracting(Packet::id).containsExactlyInAnyOrder(5L, 6L);
        }
    }

    /**
     * Requests already forwarded run to completion when their client
     * vanishes (the C mux's rule: 100 SETs sent just before a close were all
     * applied); their answers are dropped and their routes released.
     */
    @Test
    void clientVanishingWithRequestsInFlightLeavesNothingBehind() throws Exception {
        try (StubbedMux m = new StubbedMux(dir, SEED)) {
            TestClient leaver = m.client();
            List<Packet> sets = new ArrayList<>();
            for (int i = 0; i < 100; i++) {
                sets.add(new Packet(i, StubbedMux.set("key" + i, "value" + i)));
            }
            leaver.sendAll(sets);
            List<StubTarget.Received> held = new ArrayList<>();
            for (int i = 0; i < 100; i++) {
                held.add(m.stub.take());
            }
            leaver.close();
            assertThat(m.mux.requestsInFlight()).isEqualTo(100);
            for (StubTarget.Received r : held) {
                r.answer(StubTarget.echoKey(r.packet()));
            }
            // The stub answers in order on one connection, so once this answer is back, all before it were handled.
            m.stub.answering(StubTarget::echoKey);
            TestClient witness = m.client();
            witness.send(1, StubbedMux.get("w"));
            assertThat(witness.take().record()).isEqualTo(StubbedMux.echoed("w"));
            assertThat(m.mux.requestsInFlight()).isZero();
        }
    }

    /** A client that half-closes after pipelining still gets every answer, then the connection closes. */
    @Test
    void halfClosedClientGetsItsAnswersThenIsClosed() throws Exception {
        try (StubbedMux m = new StubbedMux(dir, SEED)) {
            m.stub.answering(StubTarget::echoKey);
            TestClient client = m.client();
            List<Packet> gets = new ArrayList<>();
            for (int i = 0; i < 50; i++) {
                gets.add(new Packet(i, StubbedMux.get("h" + i)));
            }
            client.sendAll(gets);
            ((DuplexChannel) client.channel()).shutdownOutput().syncUninterruptibly();
            client.awaitClosed();
            assertThat(client.responses()).hasSize(50);
        }
    }
}
