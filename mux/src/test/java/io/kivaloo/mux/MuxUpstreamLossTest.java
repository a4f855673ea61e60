package io.kivaloo.mux;

import io.kivaloo.proto.wire.Packet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The upstream connection is lost: clients with requests in flight see
 * their connection close, never a made-up answer; the others stay connected
 * and are served again once mux has reconnected.
 */
class MuxUpstreamLossTest {

    private static final long SEED = 7L;

    @TempDir
    Path dir;

    @Test
    void targetDroppingTheConnectionClosesOnlyClientsWithRequestsInFlight() throws Exception {
        try (StubbedMux m = new StubbedMux(dir, SEED)) {
            m.stub.nextConnection();
            TestClient waiting = m.client();
            TestClient idle = m.client();
            idle.send(1, StubbedMux.get("warm-up"));
            m.stub.take().answer(StubbedMux.echoed("warm-up"));
            assertThat(idle.take().id()).isEqualTo(1);

            for (int i = 0; i < 5; i++) {
                waiting.send(i, StubbedMux.get("w" + i));
            }
            for (int i = 0; i < 5; i++) {
                m.stub.take();
            }
            m.stub.dropConnections();

            waiting.awaitClosed();
            assertThat(waiting.responses()).isEmpty();
            m.stub.nextConnection();
            m.stub.answering(StubTarget::echoKey);
            idle.send(2, StubbedMux.get("after"));
            Packet answer = idle.take();
            assertThat(answer.id()).isEqualTo(2);
            assertThat(answer.record()).isEqualTo(StubbedMux.echoed("after"));
            assertThat(idle.isOpen()).isTrue();

            TestClient newcomer = m.client();
            newcomer.send(3, StubbedMux.get("new"));
            assertThat(newcomer.take().record()).isEqualTo(StubbedMux.echoed("new"));
            assertThat(m.mux.targetConnections()).isEqualTo(2);
            assertThat(m.mux.requestsInFlight()).isZero();
        }
    }

    /** Requests sent while the target is away wait (unread) and are served once it is back. */
    @Test
    void targetGoneAndBackServesRequestsSentDuringTheOutage() throws Exception {
        try (StubbedMux m = new StubbedMux(dir, SEED)) {
            TestClient client = servedClientThenTargetGone(m);
            client.send(2, StubbedMux.get("during"));
            m.stub.start();

            Packet answer = client.take();
            assertThat(answer.id()).isEqualTo(2);
            assertThat(answer.record()).isEqualTo(StubbedMux.echoed("during"));
            assertThat(m.mux.targetConnections()).isEqualTo(2);
        }
    }

    /**
     * A client that hangs up while its request waits for the target must not
     * have that request run later: it can no longer learn the outcome, and
     * whoever retries it elsewhere must not race a ghost.
     */
    @Test
    void requestsHeldForAClientThatHungUpAreDroppedNotForwardedLater() throws Exception {
        try (StubbedMux m = new StubbedMux(dir, SEED)) {
            TestClient leaving = servedClientThenTargetGone(m);
            leaving.send(2, StubbedMux.get("gone"));
            awaitHeld(m, 1);
            leaving.close();
            awaitHeld(m, 0);
            m.stub.received().clear();
            m.stub.start();

            TestClient staying = m.client();
            staying.send(3, StubbedMux.get("after"));
            assertThat(staying.take().record()).isEqualTo(StubbedMux.echoed("after"));
            assertThat(m.stub.received()).extracting(r -> new String(r.packet().record(), java.nio.charset.StandardCharsets.ISO_8859_1))
                    .noneMatch(record -> record.contains("gone"));
        }
    }

    /**
     * A client served once (ID 1), then the target stopped and mux aware of
     * the loss: a request sent before mux noticed would count as in flight at
     * the loss and close the client.
     */
    private static TestClient servedClientThenTargetGone(StubbedMux m) throws Exception {
        m.stub.answering(StubTarget::echoKey);
        TestClient client = m.client();
        client.send(1, StubbedMux.get("before"));
        assertThat(client.take().id()).isEqualTo(1);
        java.util.concurrent.CompletableFuture<Void> lost = m.mux.nextTargetLoss();
        m.stub.stop();
        lost.get(30, java.util.concurrent.TimeUnit.SECONDS);
        return client;
    }

    private static void awaitHeld(StubbedMux m, int expected) throws Exception {
        long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(30);
        while (m.mux.requestsHeld() != expected) {
            assertThat(System.nanoTime()).as("requests held by mux, waiting for %d", expected).isLessThan(deadline);
            Thread.sleep(10);
        }
    }

    /** An answer under an ID mux never sent means the stream cannot be trusted: the connection is dropped and remade. */
    @Test
    void responseWithUnknownIdDropsTheTargetConnection() throws Exception {
        try (StubbedMux m = new StubbedMux(dir, SEED)) {
            m.stub.nextConnection();
            TestClient victim = m.client();
            TestClient bystander = m.client();
            victim.send(1, StubbedMux.get("v"));
            StubTarget.Received r = m.stub.take();
            r.channel().writeAndFlush(new Packet(r.packet().id() + 1000, StubbedMux.echoed("bogus")));

            victim.awaitClosed();
            assertThat(victim.responses()).isEmpty();
            m.stub.nextConnection();
            m.stub.answering(StubTarget::echoKey);
            bystander.send(2, StubbedMux.get("b"));
            assertThat(bystander.take().record()).isEqualTo(StubbedMux.echoed("b"));
        }
    }

    @Test
    void startUpFailsWhenTheTargetIsAbsent() {
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> MuxServer.start(MuxConfig.of(
                        io.kivaloo.proto.net.KivalooAddress.parse(dir.resolve("nothing").toString()),
                        java.util.List.of(io.kivaloo.proto.net.KivalooAddress.parse(dir.resolve("mux").toString())), 0)))
                .isInstanceOf(io.kivaloo.proto.daemon.StartupException.class)
                .hasMessageContaining("cannot connect to target");
        assertThat(dir.resolve("mux")).doesNotExist();
    }
}
