package io.kivaloo.mux;

import io.kivaloo.proto.kvlds.Key;
import io.kivaloo.proto.kvlds.KvldsCodec;
import io.kivaloo.proto.kvlds.KvldsResponse;
import io.kivaloo.proto.wire.Packet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/** A greedy client is throttled; the others are not slowed (DESIGN.md "Backpressure"). */
class MuxBackpressureTest {

    private static final long SEED = 99L;

    @TempDir
    Path dir;

    @Test
    void clientBeyondItsInFlightBoundIsHeldUntilAnswersComeBack() throws Exception {
        try (StubbedMux m = new StubbedMux(dir, SEED, c -> c.withMaxInFlight(8))) {
            TestClient greedy = m.client();
            List<Packet> burst = new ArrayList<>();
            for (int i = 0; i < 100; i++) {
                burst.add(new Packet(i, StubbedMux.get("g" + i)));
            }
            greedy.sendAll(burst);
            List<StubTarget.Received> first = new ArrayList<>();
            for (int i = 0; i < 8; i++) {
                first.add(m.stub.take());
            }
            // Another client's request overtakes the 92 held ones.
            TestClient other = m.client();
            other.send(1, StubbedMux.get("other"));
            StubTarget.Received fromOther = m.stub.take();
            assertThat(fromOther.packet().record()).isEqualTo(StubbedMux.get("other"));
            assertThat(m.stub.received()).isEmpty();
            assertThat(m.mux.requestsInFlight()).isEqualTo(9);

            fromOther.answer(StubbedMux.echoed("other"));
            assertThat(other.take().id()).isEqualTo(1);
            m.stub.answering(StubTarget::echoKey);
            for (StubTarget.Received r : first) {
                r.answer(StubTarget.echoKey(r.packet()));
            }
            Set<Long> ids = new HashSet<>();
            for (int i = 0; i < 100; i++) {
                ids.add(greedy.take().id());
            }
            assertThat(ids).hasSize(100);
        }
    }

    /**
     * A client that stops reading its (large) responses stops being read
     * once its connection backs up: the target sees only part of its 20,000
     * requests, and another client's round trips go on meanwhile.
     */
    @Test
    void clientNotReadingItsAnswersIsPausedAndOthersAreServed() throws Exception {
        byte[] bigAnswer = KvldsCodec.encodeResponse(new KvldsResponse.Get(Key.of("v".repeat(255))));
        int requests = 20_000;
        try (StubbedMux m = new StubbedMux(dir, SEED, c -> c.withMaxInFlight(1000))) {
            m.stub.answering(p -> bigAnswer);
            TestClient deaf = m.client();
            deaf.channel().config().setAutoRead(false);
            List<Packet> burst = new ArrayList<>();
            for (int i = 0; i < requests; i++) {
                burst.add(new Packet(i, StubbedMux.get("d" + i)));
            }
            deaf.sendAll(burst);

            TestClient other = m.client();
            for (int i = 0; i < 200; i++) {
                other.send(i, StubbedMux.get("o"));
                assertThat(other.take().id()).isEqualTo(i);
            }
            int seenWhileDeaf = m.stub.received().size() - 200;
            assertThat(seenWhileDeaf).isLessThan(requests / 2);

            deaf.channel().config().setAutoRead(true);
            for (int i = 0; i < requests; i++) {
                assertThat(deaf.take().record()).hasSize(bigAnswer.length);
            }
        }
    }

    /** -n 1: a second client waits to be accepted until the first has gone (mux.md §1.3). */
    @Test
    void connectionLimitMakesFurtherClientsWait() throws Exception {
        try (StubbedMux m = new StubbedMux(dir, SEED, c -> new MuxConfig(c.target(), c.sources(), 1, false,
                c.maxRequestLength(), c.maxInFlight(), c.backlog(), c.backoffInitialMillis(), c.backoffMaxMillis(),
                c.startupTimeoutMillis(), c.maxClientBytes(), c.maxTotalBytes(), c.stalledClientMillis()))) {
            m.stub.answering(StubTarget::echoKey);
            TestClient first = m.client();
            first.send(1, StubbedMux.get("first"));
            assertThat(first.take().id()).isEqualTo(1);

            TestClient second = m.client();
            second.send(2, StubbedMux.get("second"));
            first.send(3, StubbedMux.get("first-again"));
            assertThat(first.take().id()).isEqualTo(3);
            assertThat(m.stub.received()).extracting(r -> r.packet().record())
                    .containsExactly(StubbedMux.get("first"), StubbedMux.get("first-again"));
            assertThat(second.responses()).isEmpty();

            first.close();
            Packet late = second.take();
            assertThat(late.id()).isEqualTo(2);
            assertThat(late.record()).isEqualTo(StubbedMux.echoed("second"));
        }
    }
}
