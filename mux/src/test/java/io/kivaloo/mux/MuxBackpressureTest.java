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
import java.util.concurrent.TimeUnit;

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
     * A client at its in-flight bound is read again only once a quarter of
     * its requests have been answered, not after every answer: the C bench
     * programs keep exactly 4,096 out, and reading toggled (two epoll_ctl
     * calls) with every answer.
     */
    @Test
    void clientAtItsInFlightBoundIsReadAgainOnlyAfterAQuarterIsAnswered() throws Exception {
        try (StubbedMux m = new StubbedMux(dir, SEED, c -> c.withMaxInFlight(8))) {
            TestClient client = m.client();
            List<Packet> firstEight = new ArrayList<>();
            for (int i = 0; i < 8; i++) {
                firstEight.add(new Packet(i, StubbedMux.get("a" + i)));
            }
            client.sendAll(firstEight);
            List<StubTarget.Received> upstream = new ArrayList<>();
            for (int i = 0; i < 8; i++) {
                upstream.add(m.stub.take());
            }
            // At the bound mux has stopped reading: these wait in its socket.
            List<Packet> later = new ArrayList<>();
            for (int i = 8; i < 12; i++) {
                later.add(new Packet(i, StubbedMux.get("a" + i)));
            }
            client.sendAll(later);

            upstream.get(0).answer(StubTarget.echoKey(upstream.get(0).packet()));
            assertThat(client.take().id()).isEqualTo(0);
            assertThat(m.stub.received().poll(300, TimeUnit.MILLISECONDS))
                    .as("one answer of eight does not resume reading").isNull();

            upstream.get(1).answer(StubTarget.echoKey(upstream.get(1).packet()));
            assertThat(client.take().id()).isEqualTo(1);
            upstream.add(m.stub.take()); // two of eight answered: read again, and forward up to the bound
            upstream.add(m.stub.take());
            m.stub.answering(StubTarget::echoKey);
            for (StubTarget.Received r : upstream.subList(2, upstream.size())) {
                r.answer(StubTarget.echoKey(r.packet()));
            }
            Set<Long> ids = new HashSet<>(List.of(0L, 1L));
            for (int i = 2; i < 12; i++) {
                ids.add(client.take().id());
            }
            assertThat(ids).hasSize(12);
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
