package io.kivaloo.mux;

import io.kivaloo.proto.client.ConnectionClosedException;
import io.kivaloo.proto.client.KvldsClient;
import io.kivaloo.proto.kvlds.Key;
import io.kivaloo.proto.kvlds.KvldsResponse;
import io.kivaloo.proto.net.KivalooAddress;
import io.kivaloo.proto.net.Transport;
import io.netty.channel.EventLoopGroup;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** mux in this JVM in front of the real C kvlds and lbs. */
class MuxKvldsChainTest {

    private static final int CLIENTS = 10;
    private static final int PAIRS = 1000;

    @TempDir
    Path dir;

    private CChain chain;
    private MuxServer mux;
    private KivalooAddress muxAddress;
    private EventLoopGroup group;
    private final List<AutoCloseable> clients = new ArrayList<>();

    @BeforeEach
    void start() throws Exception {
        chain = CChain.start(dir);
        muxAddress = KivalooAddress.parse(dir.resolve("mux").toString());
        mux = MuxServer.start(MuxConfig.of(chain.kvldsAddress(), List.of(muxAddress), 0));
        group = Transport.best().newEventLoopGroup(2, "chain-test");
    }

    @AfterEach
    void stop() throws Exception {
        for (AutoCloseable c : clients) {
            c.close();
        }
        if (mux != null) {
            mux.close();
        }
        if (group != null) {
            group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
        }
        if (chain != null) {
            chain.close();
        }
    }

    private KvldsClient client() throws Exception {
        KvldsClient c = KvldsClient.connect(muxAddress, group, Transport.best()).get(30, TimeUnit.SECONDS);
        clients.add(c);
        return c;
    }

    private static Key key(String prefix, int i) {
        return Key.of(prefix + i);
    }

    @Test
    void tenClientsPipeliningSetsThenGetsEachSeeTheirOwnValues() throws Exception {
        List<KvldsClient> all = new ArrayList<>();
        for (int c = 0; c < CLIENTS; c++) {
            all.add(client());
        }
        List<CompletableFuture<Void>> sets = new ArrayList<>();
        for (int c = 0; c < CLIENTS; c++) {
            for (int i = 0; i < PAIRS; i++) {
                sets.add(all.get(c).set(key(c + ".", i), Key.of(Integer.toString(i * 31 + c))));
            }
        }
        CompletableFuture.allOf(sets.toArray(new CompletableFuture[0])).get(120, TimeUnit.SECONDS);
        List<CompletableFuture<Key>> gets = new ArrayList<>();
        for (int c = 0; c < CLIENTS; c++) {
            for (int i = 0; i < PAIRS; i++) {
                gets.add(all.get(c).get(key(c + ".", i)));
            }
        }
        int n = 0;
        for (int c = 0; c < CLIENTS; c++) {
            for (int i = 0; i < PAIRS; i++) {
                assertThat(gets.get(n++).get(120, TimeUnit.SECONDS)).isEqualTo(Key.of(Integer.toString(i * 31 + c)));
            }
        }
        assertThat(mux.requestsInFlight()).isZero();
    }

    /** With the C mux, this request would make kvlds drop the shared connection, and the C mux would exit. */
    @Test
    void badRequestsCostOnlyTheirSenderTheConnection() throws Exception {
        KvldsClient busy = client();
        KvldsResponse.Params params = busy.params().get(30, TimeUnit.SECONDS);
        List<CompletableFuture<Void>> work = new ArrayList<>();
        for (int i = 0; i < 2000; i++) {
            work.add(busy.set(key("busy", i), Key.of("v")));
        }
        try (TestClient unknown = TestClient.connect(muxAddress, group)) {
            unknown.send(1, new byte[] {0, 0, 0x01, 0x55});
            unknown.awaitClosed();
        }
        if (params.maxKeyLength() < Key.MAX_LENGTH) {
            try (TestClient tooLong = TestClient.connect(muxAddress, group)) {
                tooLong.send(1, StubbedMux.set("k".repeat(params.maxKeyLength() + 1), "v"));
                tooLong.awaitClosed();
            }
        }
        CompletableFuture.allOf(work.toArray(new CompletableFuture[0])).get(120, TimeUnit.SECONDS);
        assertThat(busy.get(key("busy", 1999)).get(30, TimeUnit.SECONDS)).isEqualTo(Key.of("v"));
        assertThat(mux.targetConnections()).isEqualTo(1);
    }

    @Test
    void kvldsKilledAndRestartedClosesBusyClientsAndServesTheRest() throws Exception {
        KvldsClient idle = client();
        idle.set(Key.of("kept"), Key.of("value")).get(30, TimeUnit.SECONDS);
        KvldsClient busy = client();
        List<CompletableFuture<Void>> inFlight = new ArrayList<>();
        for (int i = 0; i < 20_000; i++) {
            inFlight.add(busy.set(key("busy", i), Key.of("v")));
        }
        inFlight.get(0).get(60, TimeUnit.SECONDS); // mux is forwarding them now
        CompletableFuture<Void> lost = mux.nextTargetLoss();
        chain.killKvlds();
        lost.get(30, TimeUnit.SECONDS);

        CompletableFuture<Key> during = idle.get(Key.of("kept"));
        chain.startKvlds();
        assertThat(during.get(60, TimeUnit.SECONDS)).isEqualTo(Key.of("value"));

        // Those in flight at the loss failed with a closed connection; any not yet forwarded ran after the restart.
        int failed = 0;
        for (CompletableFuture<Void> f : inFlight) {
            try {
                f.get(60, TimeUnit.SECONDS);
            } catch (java.util.concurrent.ExecutionException e) {
                assertThat(e.getCause()).isInstanceOf(ConnectionClosedException.class);
                failed++;
            }
        }
        if (failed > 0) {
            busy.closeFuture().get(30, TimeUnit.SECONDS);
        }
        assertThat(idle.connection().isOpen()).isTrue();
        KvldsClient newcomer = client();
        newcomer.set(Key.of("new"), Key.of("after")).get(30, TimeUnit.SECONDS);
        assertThat(newcomer.get(Key.of("new")).get(30, TimeUnit.SECONDS)).isEqualTo(Key.of("after"));
        assertThat(mux.targetConnections()).isEqualTo(2);
    }
}
