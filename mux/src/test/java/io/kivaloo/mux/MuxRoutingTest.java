package io.kivaloo.mux;

import io.kivaloo.proto.net.KivalooAddress;
import io.kivaloo.proto.wire.Packet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** Every response reaches the client that asked, under that client's own ID (mux.md §1.2). */
class MuxRoutingTest {

    private static final long SEED = 0x6d7578L;
    private static final int CLIENTS = 40;
    private static final int REQUESTS = 250;

    @TempDir
    Path dir;

    @Test
    void pipeliningClientsReusingIdsGetTheirOwnAnswersOutOfOrder() throws Exception {
        try (StubbedMux m = new StubbedMux(dir, SEED)) {
            m.stub.answering(StubTarget::echoKey);
            List<TestClient> clients = new ArrayList<>();
            for (int c = 0; c < CLIENTS; c++) {
                clients.add(m.client());
            }
            for (int c = 0; c < CLIENTS; c++) {
                List<Packet> burst = new ArrayList<>();
                for (int i = 0; i < REQUESTS; i++) {
                    burst.add(new Packet(clientId(c, i), StubbedMux.get(key(c, i))));
                }
                clients.get(c).sendAll(burst);
            }
            for (int c = 0; c < CLIENTS; c++) {
                if (c == 2) {
                    checkSameIdClient(clients.get(c), c);
                    continue;
                }
                Map<Long, byte[]> answers = new HashMap<>();
                for (int i = 0; i < REQUESTS; i++) {
                    Packet p = clients.get(c).take();
                    assertThat(answers.put(p.id(), p.record())).as("duplicate answer for id %s", Long.toUnsignedString(p.id())).isNull();
                }
                for (int i = 0; i < REQUESTS; i++) {
                    assertThat(answers.get(clientId(c, i))).as("client %d request %d", c, i).isEqualTo(StubbedMux.echoed(key(c, i)));
                }
            }
            assertThat(m.mux.requestsInFlight()).isZero();
        }
    }

    /** Client 2 sent every request as 12345: each answer comes once, under that ID. */
    private static void checkSameIdClient(TestClient client, int c) throws InterruptedException {
        List<String> got = new ArrayList<>();
        List<String> expected = new ArrayList<>();
        for (int i = 0; i < REQUESTS; i++) {
            Packet p = client.take();
            assertThat(p.id()).isEqualTo(12345L);
            got.add(java.util.HexFormat.of().formatHex(p.record()));
            expected.add(java.util.HexFormat.of().formatHex(StubbedMux.echoed(key(c, i))));
        }
        assertThat(got).containsExactlyInAnyOrderElementsOf(expected);
    }

    /**
     * Every client uses IDs 0.. except client 1, which counts down from
     * 0xFFFFFFFFFFFFFFFF, and client 2, which uses 12345 for every request.
     */
    private static long clientId(int client, int i) {
        if (client == 1) {
            return -1L - i;
        }
        if (client == 2) {
            return 12345;
        }
        return i;
    }

    private static String key(int client, int i) {
        return "c" + client + "-" + i;
    }

    @Test
    void sameIdFromSeveralRequestsOfOneClientIsAnsweredOncePerRequest() throws Exception {
        try (StubbedMux m = new StubbedMux(dir, SEED)) {
            m.stub.answering(StubTarget::echoKey);
            TestClient a = m.client();
            TestClient b = m.client();
            a.send(12345, StubbedMux.get("a"));
            b.send(12345, StubbedMux.get("b"));
            a.send(-1L, StubbedMux.get("a-max"));
            assertThat(List.of(a.take(), a.take())).extracting(Packet::id).containsExactlyInAnyOrder(12345L, -1L);
            Packet fromB = b.take();
            assertThat(fromB.id()).isEqualTo(12345L);
            assertThat(fromB.record()).isEqualTo(StubbedMux.echoed("b"));
        }
    }

    @Test
    void listensOnUnixAndTcpAtOnce() throws Exception {
        try (StubbedMux m = new StubbedMux(dir, SEED, c -> c)) {
            m.stub.answering(StubTarget::echoKey);
            // A second mux with a Unix and a TCP source in front of the same stub.
            KivalooAddress unix = KivalooAddress.parse(dir.resolve("mux2").toString());
            MuxServer two = MuxServer.start(MuxConfig.of(m.stub.address(), List.of(unix, KivalooAddress.parse("127.0.0.1:" + freePort())), 0));
            try {
                int port = ((InetSocketAddress) two.listeners().get(1).channels().get(0).localAddress()).getPort();
                assertThat(two.listeners()).hasSize(2);
                try (TestClient overUnix = TestClient.connect(unix, m.group);
                     TestClient overTcp = TestClient.connect(KivalooAddress.parse("127.0.0.1:" + port), m.group)) {
                    overUnix.send(1, StubbedMux.get("u"));
                    overTcp.send(1, StubbedMux.get("t"));
                    assertThat(overUnix.take().record()).isEqualTo(StubbedMux.echoed("u"));
                    assertThat(overTcp.take().record()).isEqualTo(StubbedMux.echoed("t"));
                }
            } finally {
                two.close();
            }
        }
    }

    private static int freePort() throws java.io.IOException {
        try (java.net.ServerSocket s = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }
}
