package io.kivaloo.proto.client;

import io.kivaloo.proto.client.StubServer.Kind;
import io.kivaloo.proto.kvlds.Key;
import io.kivaloo.proto.kvlds.KvldsCodec;
import io.kivaloo.proto.kvlds.KvldsRequest;
import io.kivaloo.proto.kvlds.KvldsResponse;
import io.kivaloo.proto.net.Transport;
import io.kivaloo.proto.wire.Packet;
import io.kivaloo.proto.wire.ProtocolException;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * {@link BlockingKvldsClient#scan} over a fake server that answers RANGE the
 * way the C kvlds does (kvlds.md §2.2): a few pairs per request, {@code next}
 * the first key not returned, and a key equal to {@code end} let through.
 */
class BlockingKvldsClientTest {

    private static final int PAIRS_PER_RANGE = 7;

    @TempDir
    Path dir;

    private final Transport transport = Transport.best();
    private final EventLoopGroup group = transport.newEventLoopGroup(1, "blocking-client-test");
    private final AtomicInteger rangeRequests = new AtomicInteger();
    private StubServer server;
    private BlockingKvldsClient client;

    @AfterEach
    void stop() {
        if (client != null) {
            client.close();
        }
        if (server != null) {
            server.close();
        }
        group.shutdownGracefully(0, 10, TimeUnit.SECONDS).syncUninterruptibly();
    }

    @Test
    void scanOfTheWholeKeyspaceReturnsEveryPairInOrder() throws IOException {
        NavigableMap<Key, Key> store = store(100);
        connect(new RangeServer(store, false));
        List<KvldsResponse.Pair> pairs = client.scan(Key.EMPTY, Key.EMPTY);
        assertThat(pairs).containsExactlyElementsOf(asPairs(store));
        assertThat(rangeRequests.get()).isEqualTo(100 / PAIRS_PER_RANGE + 1);
    }

    @Test
    void scanOfABoundedRangeStopsBeforeEndEvenWhenTheServerReturnsEnd() throws IOException {
        NavigableMap<Key, Key> store = store(100);
        connect(new RangeServer(store, false));
        List<KvldsResponse.Pair> pairs = client.scan(key(10), key(40));
        assertThat(pairs).containsExactlyElementsOf(asPairs(store.subMap(key(10), true, key(40), false)));
    }

    @Test
    void scanFromAKeyBetweenStoredKeys() throws IOException {
        NavigableMap<Key, Key> store = store(30);
        connect(new RangeServer(store, false));
        Key between = Key.of("key0055"); // after key005, before key006
        assertThat(client.scan(between, Key.EMPTY)).containsExactlyElementsOf(asPairs(store.tailMap(between, true)));
        assertThat(client.scan(Key.of("zzz"), Key.EMPTY)).isEmpty();
    }

    @Test
    void scanOfAnEmptyStore() throws IOException {
        connect(new RangeServer(new TreeMap<>(), false));
        assertThat(client.scan(Key.EMPTY, Key.EMPTY)).isEmpty();
        assertThat(client.scan(Key.of("a"), Key.of("b"))).isEmpty();
    }

    @Test
    void aServerThatMakesNoProgressIsAnError() {
        connect(new RangeServer(store(20), true));
        assertThatThrownBy(() -> client.scan(Key.EMPTY, Key.EMPTY)).isInstanceOf(IOException.class)
                .hasMessageContaining("RANGE made no progress");
    }

    // ---- fixtures

    private void connect(RangeServer handler) {
        server = StubServer.start(Kind.UNIX, transport, group, dir, () -> handler);
        client = new BlockingKvldsClient(KvldsClient.connect(server.address(), group, transport).join(), 60_000);
    }

    private static Key key(int i) {
        return Key.of(String.format("key%03d", i));
    }

    private static NavigableMap<Key, Key> store(int n) {
        NavigableMap<Key, Key> store = new TreeMap<>();
        for (int i = 0; i < n; i++) {
            store.put(key(i), Key.of("value" + i));
        }
        return store;
    }

    private static List<KvldsResponse.Pair> asPairs(Map<Key, Key> map) {
        List<KvldsResponse.Pair> pairs = new ArrayList<>();
        map.forEach((k, v) -> pairs.add(new KvldsResponse.Pair(k, v)));
        return pairs;
    }

    /** RANGE as the C kvlds answers it; shared by the one connection of a test. */
    @io.netty.channel.ChannelHandler.Sharable
    final class RangeServer extends SimpleChannelInboundHandler<Packet> {
        private final NavigableMap<Key, Key> store;
        private final boolean stuck;

        RangeServer(NavigableMap<Key, Key> store, boolean stuck) {
            this.store = store;
            this.stuck = stuck;
        }

        @Override
        protected void channelRead0(ChannelHandlerContext ctx, Packet packet) throws ProtocolException {
            KvldsRequest.Range r = (KvldsRequest.Range) KvldsCodec.decodeRequest(packet.record());
            rangeRequests.incrementAndGet();
            // The C quirk: a key equal to end is returned too.
            NavigableMap<Key, Key> candidates = r.end().isEmpty() ? store.tailMap(r.start(), true)
                    : store.subMap(r.start(), true, r.end(), true);
            List<KvldsResponse.Pair> pairs = new ArrayList<>();
            Key next = r.end();
            for (Map.Entry<Key, Key> e : candidates.entrySet()) {
                if (pairs.size() == PAIRS_PER_RANGE) {
                    next = e.getKey();
                    break;
                }
                pairs.add(new KvldsResponse.Pair(e.getKey(), e.getValue()));
            }
            if (stuck) {
                next = r.start().isEmpty() ? Key.of(new byte[] {0}) : r.start();
            }
            ctx.writeAndFlush(new Packet(packet.id(), KvldsCodec.encodeResponse(new KvldsResponse.Range(next, pairs))));
        }
    }
}
