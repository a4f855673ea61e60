package io.kivaloo.mux;

import io.kivaloo.proto.client.KvldsClient;
import io.kivaloo.proto.kvlds.Key;
import io.kivaloo.proto.kvlds.KvldsCodec;
import io.kivaloo.proto.kvlds.KvldsRequest;
import io.kivaloo.proto.net.KivalooAddress;
import io.kivaloo.proto.net.Transport;
import io.kivaloo.proto.wire.Packet;
import io.netty.channel.EventLoopGroup;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The answer bounds (DESIGN.md "Memory bounds") in front of the real C
 * kvlds and lbs: many clients pipelining GETs of 96-byte values and
 * reading nothing stay within the total, and a client that reads is served.
 */
class MuxKvldsMemoryBoundTest {

    private static final int KEYS = 100;
    private static final int DEAF_CLIENTS = 50;
    private static final int GETS_EACH = 4_000;

    @TempDir
    Path dir;

    @Test
    void clientsPipeliningGetsThroughKvldsWithoutReadingStayWithinTheTotal() throws Exception {
        long maxClient = 512 * 1024;
        long maxTotal = 2L << 20;
        EventLoopGroup group = Transport.best().newEventLoopGroup(2, "chain-test");
        List<AutoCloseable> open = new ArrayList<>();
        try (CChain chain = CChain.start(dir)) {
          try {
            KivalooAddress muxAddress = KivalooAddress.parse(dir.resolve("mux").toString());
            MuxServer mux = MuxServer.start(MuxConfig.of(chain.kvldsAddress(), List.of(muxAddress), 0)
                    .withAnswerBytes(maxClient, maxTotal).withStalledClientMillis(200));
            open.add(mux);
            KvldsClient reader = KvldsClient.connect(muxAddress, group, Transport.best()).get(30, TimeUnit.SECONDS);
            open.add(reader);
            Key value = Key.of("v".repeat(96)); // the chain's kvlds takes values up to 96 bytes
            List<CompletableFuture<Void>> sets = new ArrayList<>();
            for (int i = 0; i < KEYS; i++) {
                sets.add(reader.set(Key.of("k" + i), value));
            }
            CompletableFuture.allOf(sets.toArray(new CompletableFuture[0])).get(60, TimeUnit.SECONDS);

            for (int c = 0; c < DEAF_CLIENTS; c++) {
                TestClient deaf = TestClient.connect(muxAddress, group);
                open.add(deaf);
                deaf.channel().config().setAutoRead(false);
                List<Packet> burst = new ArrayList<>(GETS_EACH);
                for (int i = 0; i < GETS_EACH; i++) {
                    burst.add(new Packet(i, KvldsCodec.encodeRequest(new KvldsRequest.Get(Key.of("k" + i % KEYS)))));
                }
                deaf.sendAll(burst);
            }

            for (int i = 0; i < 300; i++) {
                assertThat(reader.get(Key.of("k" + i % KEYS)).get(60, TimeUnit.SECONDS)).isEqualTo(value);
            }
            assertThat(mux.peakAnswerBytes()).isLessThanOrEqualTo(maxTotal);
            assertThat(mux.queuedClientBytes()).isLessThanOrEqualTo(maxTotal);
          } finally {
            // Clients and mux before the chain they talk to, newest first.
            for (int i = open.size() - 1; i >= 0; i--) {
                open.get(i).close();
            }
          }
        } finally {
            group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
        }
    }
}
