package io.kivaloo.mux;

import io.kivaloo.proto.kvlds.Key;
import io.kivaloo.proto.kvlds.KvldsCodec;
import io.kivaloo.proto.kvlds.KvldsRequest;
import io.kivaloo.proto.kvlds.KvldsResponse;
import io.kivaloo.proto.wire.Packet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What mux holds in answers stays within its per-client and total bounds
 * (DESIGN.md "Memory bounds"), whatever clients that do not read send, and
 * the clients that read are still served.
 */
class MuxMemoryBoundTest {

    private static final long SEED = 19L;
    /** A GET answer with a 255-byte value: 280 framed bytes, the most a GET is charged. */
    private static final byte[] BIG_ANSWER = KvldsCodec.encodeResponse(new KvldsResponse.Get(Key.of("v".repeat(255))));
    private static final byte[] WHOLE_STORE_RANGE = KvldsCodec.encodeRequest(
            new KvldsRequest.Range(0xFFFFFFFFL, Key.of(""), Key.of("")));
    private static final byte[] EMPTY_RANGE_ANSWER = KvldsCodec.encodeResponse(new KvldsResponse.Range(Key.of(""), List.of()));
    /** Short, so that tests of closing do not wait the default 5 s; a reader's answers leave in far less. */
    private static final long STALLED_MILLIS = 200;

    @TempDir
    Path dir;

    /**
     * Each whole-store RANGE is charged the longest RANGE answer (about
     * 4 MiB): with the default 16 MiB per client, three are at the target
     * at once and the others wait until an answer has left.
     */
    @Test
    void wholeStoreRangesBeyondTheClientBoundWaitForAnAnswerToLeave() throws Exception {
        try (StubbedMux m = new StubbedMux(dir, SEED)) {
            TestClient ranger = m.client();
            List<Packet> burst = new ArrayList<>();
            for (int i = 0; i < 5; i++) {
                burst.add(new Packet(i, WHOLE_STORE_RANGE));
            }
            ranger.sendAll(burst);
            List<StubTarget.Received> first = new ArrayList<>();
            for (int i = 0; i < 3; i++) {
                first.add(m.stub.take());
            }
            TestClient other = m.client();
            other.send(7, StubbedMux.get("other"));
            StubTarget.Received fromOther = m.stub.take();
            assertThat(fromOther.packet().record()).isEqualTo(StubbedMux.get("other"));
            assertThat(m.stub.received()).isEmpty();

            first.get(0).answer(EMPTY_RANGE_ANSWER);
            assertThat(ranger.take().record()).isEqualTo(EMPTY_RANGE_ANSWER);
            StubTarget.Received fourth = m.stub.take();
            assertThat(fourth.packet().record()).isEqualTo(WHOLE_STORE_RANGE);
            assertThat(m.stub.received()).isEmpty();

            m.stub.answering(p -> EMPTY_RANGE_ANSWER);
            fromOther.answer(StubbedMux.echoed("other"));
            first.get(1).answer(EMPTY_RANGE_ANSWER);
            first.get(2).answer(EMPTY_RANGE_ANSWER);
            fourth.answer(EMPTY_RANGE_ANSWER);
            for (int i = 1; i < 5; i++) {
                assertThat(ranger.take().record()).isEqualTo(EMPTY_RANGE_ANSWER);
            }
            assertThat(other.take().id()).isEqualTo(7);
            assertThat(m.mux.answerBytes()).isZero();
        }
    }

    /**
     * One client pipelines 20,000 GETs and reads nothing: mux's queue for it
     * takes at most its 128 KiB, buffers' whole capacity counted (the rest
     * waits in the client's socket, unread), another client's round trips
     * go on, and once it reads it gets every answer and nothing stays
     * charged. Before the bound, all 20,000 answers queued in mux; with the
     * bound but answers framed into 64 KiB buffers however few they held,
     * the queue took 197 KB against the 64 KiB charged.
     */
    @Test
    void clientNotReadingIsHeldWithinItsOwnBoundAndServedWhenItReads() throws Exception {
        long maxClient = 128 * 1024;
        int requests = 20_000;
        try (StubbedMux m = new StubbedMux(dir, SEED, c -> c.withAnswerBytes(maxClient, MuxConfig.DEFAULT_MAX_TOTAL_BYTES))) {
            m.stub.answering(p -> BIG_ANSWER);
            TestClient deaf = m.client();
            deaf.channel().config().setAutoRead(false);
            deaf.sendAll(gets("d", requests));

            TestClient reader = m.client();
            for (int i = 0; i < 200; i++) {
                reader.send(i, StubbedMux.get("r"));
                assertThat(reader.take().id()).isEqualTo(i);
            }
            assertThat(m.mux.queuedClientBytes()).isLessThanOrEqualTo(maxClient);
            // Both clients: the deaf one within its bound, the reader its one GET at a time and its reserve.
            long readerCharge = AnswerBudget.BUFFER_RESERVE + RequestCheck.SMALL_ANSWER_CHARGE + ClientSession.ENTRY_BYTES;
            assertThat(m.mux.peakAnswerBytes()).isLessThanOrEqualTo(maxClient + readerCharge);

            deaf.channel().config().setAutoRead(true);
            for (int i = 0; i < requests; i++) {
                assertThat(deaf.take().record()).isEqualTo(BIG_ANSWER);
            }
            assertThat(deaf.isOpen()).isTrue();
            assertThat(m.mux.answerBytes()).isZero();
        }
    }

    /**
     * Forty clients pipeline 4,000 GETs each and read nothing, far more than
     * the 1 MiB total: mux never charges more than the total, its queues
     * never take more, it closes non-readers to make room, and a client that
     * reads still completes its round trips.
     */
    @Test
    void manyClientsNotReadingStayWithinTheTotalAndAReaderIsStillServed() throws Exception {
        long maxClient = 256 * 1024;
        long maxTotal = 1024 * 1024;
        int deafClients = 40;
        try (StubbedMux m = new StubbedMux(dir, SEED,
                c -> c.withAnswerBytes(maxClient, maxTotal).withStalledClientMillis(STALLED_MILLIS))) {
            m.stub.answering(p -> BIG_ANSWER);
            List<TestClient> deaf = new ArrayList<>();
            for (int c = 0; c < deafClients; c++) {
                TestClient client = m.client();
                client.channel().config().setAutoRead(false);
                client.sendAll(gets("d" + c + "-", 4_000));
                deaf.add(client);
            }

            TestClient reader = m.client();
            for (int i = 0; i < 200; i++) {
                reader.send(i, StubbedMux.get("r"));
                Packet answer = reader.take();
                assertThat(answer.id()).isEqualTo(i);
                assertThat(answer.record()).isEqualTo(BIG_ANSWER);
            }
            assertThat(m.mux.queuedClientBytes()).isLessThanOrEqualTo(maxTotal);
            assertThat(m.mux.peakAnswerBytes()).isLessThanOrEqualTo(maxTotal);
            assertThat(reader.isOpen()).isTrue();
            assertThat(m.mux.openConnections()).isLessThan(deafClients + 1);
        }
    }

    /**
     * A client that reads, but whose 3 MiB RANGE answer cannot leave in one
     * write, is not closed while mux is full and another client's requests
     * wait for room: its socket takes the answer, and the room its bytes
     * leave lets the waiting requests go. Before the stall rule it was
     * closed at once, as the client holding the most answers unsent.
     */
    @Test
    void readingClientWithALargeAnswerLeavingIsNotClosedWhileMuxIsFull() throws Exception {
        long bound = 4L << 20;
        try (StubbedMux m = new StubbedMux(dir, SEED, c -> c.withAnswerBytes(bound, bound))) {
            TestClient reader = m.client();
            reader.send(1, KvldsCodec.encodeRequest(new KvldsRequest.Range(3L << 20, Key.of(""), Key.of(""))));
            StubTarget.Received range = m.stub.take();

            TestClient filler = m.client();
            filler.sendAll(gets("f", 4_000));
            await(() -> m.mux.clientsWaitingForRoom() == 1);
            List<StubTarget.Received> fillerRequests = new ArrayList<>();
            m.stub.received().drainTo(fillerRequests);
            assertThat(fillerRequests).hasSizeBetween(1, 3_999);
            // Nothing more of the filler's reaches the stub until there is room: answered as they come from now on.
            m.stub.answering(p -> BIG_ANSWER);

            byte[] bigAnswer = rangeAnswer(6_000);
            range.answer(bigAnswer);
            assertThat(reader.take().record()).isEqualTo(bigAnswer);
            assertThat(reader.isOpen()).isTrue();

            for (StubTarget.Received r : fillerRequests) {
                r.answer(BIG_ANSWER);
            }
            for (int i = 0; i < 4_000; i++) {
                assertThat(filler.take().record()).isEqualTo(BIG_ANSWER);
            }
            assertThat(reader.isOpen()).isTrue();
            assertThat(filler.isOpen()).isTrue();
        }
    }

    /** A RANGE answer of {@code pairs} pairs of 255-byte keys and values: 512 bytes each. */
    private static byte[] rangeAnswer(int pairs) {
        List<KvldsResponse.Pair> all = new ArrayList<>(pairs);
        for (int i = 0; i < pairs; i++) {
            String key = String.format("%0255d", i);
            all.add(new KvldsResponse.Pair(Key.of(key), Key.of(key)));
        }
        return KvldsCodec.encodeResponse(new KvldsResponse.Range(Key.of(""), all));
    }

    /** Asks mux until {@code condition} holds; fails after a generous deadline. */
    private static void await(BooleanSupplier condition) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("condition not reached within 30 s");
            }
            Thread.onSpinWait();
        }
    }

    private static List<Packet> gets(String prefix, int n) {
        List<Packet> burst = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            burst.add(new Packet(i, StubbedMux.get(prefix + i)));
        }
        return burst;
    }
}
