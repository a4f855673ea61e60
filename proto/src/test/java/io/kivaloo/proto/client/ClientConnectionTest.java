package io.kivaloo.proto.client;

import io.kivaloo.proto.client.StubServer.Kind;
import io.kivaloo.proto.kvlds.Key;
import io.kivaloo.proto.kvlds.KvldsCodec;
import io.kivaloo.proto.kvlds.KvldsRequest;
import io.kivaloo.proto.kvlds.KvldsResponse;
import io.kivaloo.proto.net.KivalooAddress;
import io.kivaloo.proto.net.Transport;
import io.kivaloo.proto.wire.Packet;
import io.kivaloo.proto.wire.ProtocolException;
import io.kivaloo.proto.wire.WireFormat;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@link ClientConnection} (through {@link KvldsClient}) against scripted
 * servers: pipelining with out-of-order answers, and every way a connection
 * fails. Waits are on futures and latches with generous deadlines.
 */
class ClientConnectionTest {

    private static final Duration DEADLINE = Duration.ofSeconds(60);

    @TempDir
    Path dir;

    private final List<EventLoopGroup> groups = new ArrayList<>();
    private final List<AutoCloseable> resources = new ArrayList<>();

    @AfterEach
    void tearDown() throws Exception {
        Collections.reverse(resources);
        for (AutoCloseable r : resources) {
            r.close();
        }
        for (EventLoopGroup g : groups) {
            g.shutdownGracefully(0, 10, TimeUnit.SECONDS).syncUninterruptibly();
        }
    }

    static Stream<Arguments> endpoints() {
        return Stream.of(
                Arguments.of(Kind.UNIX, Transport.best()),
                Arguments.of(Kind.TCP, Transport.best()),
                Arguments.of(Kind.UNIX, Transport.nio()),
                Arguments.of(Kind.TCP, Transport.nio()));
    }

    @ParameterizedTest(name = "{0} over {1}")
    @MethodSource("endpoints")
    void manyRequestsInFlightAreMatchedByIdWhenAnsweredOutOfOrder(Kind kind, Transport transport) {
        int n = 500;
        Set<Long> idsSeen = ConcurrentHashMap.newKeySet();
        // Answers nothing until all n requests are in: they must all be in flight at once.
        // Then answers every GET with its own key as the value, in a seeded shuffled order.
        StubServer server = server(kind, transport, () -> new SimpleChannelInboundHandler<Packet>() {
            final List<Packet> held = new ArrayList<>();

            @Override
            protected void channelRead0(ChannelHandlerContext ctx, Packet packet) throws ProtocolException {
                idsSeen.add(packet.id());
                held.add(packet);
                if (held.size() == n) {
                    Collections.shuffle(held, new Random(42));
                    for (Packet p : held) {
                        Key key = ((KvldsRequest.Get) KvldsCodec.decodeRequest(p.record())).key();
                        ctx.write(new Packet(p.id(), KvldsCodec.encodeResponse(new KvldsResponse.Get(key))));
                    }
                    ctx.flush();
                }
            }
        });
        KvldsClient client = client(server.address(), transport);

        List<CompletableFuture<Key>> answers = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            answers.add(client.get(Key.of("key-" + i)));
        }
        for (int i = 0; i < n; i++) {
            assertThat(answers.get(i)).succeedsWithin(DEADLINE).isEqualTo(Key.of("key-" + i));
        }
        // The original's numbering: sequential from 0 on each connection.
        assertThat(new TreeSet<>(idsSeen)).hasSize(n).first().isEqualTo(0L);
        assertThat(new TreeSet<>(idsSeen).last()).isEqualTo(n - 1L);
    }

    @Test
    void requestsSentFromManyThreadsAreAllAnswered() throws Exception {
        StubServer server = server(Kind.UNIX, Transport.best(), EchoGet::new);
        KvldsClient client = client(server.address(), Transport.best());
        ExecutorService senders = Executors.newFixedThreadPool(4);
        try {
            List<CompletableFuture<List<CompletableFuture<Key>>>> batches = new ArrayList<>();
            for (int t = 0; t < 4; t++) {
                int thread = t;
                batches.add(CompletableFuture.supplyAsync(() -> {
                    List<CompletableFuture<Key>> sent = new ArrayList<>();
                    for (int i = 0; i < 200; i++) {
                        sent.add(client.get(Key.of(thread + "/" + i)));
                    }
                    return sent;
                }, senders));
            }
            for (int t = 0; t < 4; t++) {
                List<CompletableFuture<Key>> sent = batches.get(t).get(DEADLINE.toSeconds(), TimeUnit.SECONDS);
                for (int i = 0; i < sent.size(); i++) {
                    assertThat(sent.get(i)).succeedsWithin(DEADLINE).isEqualTo(Key.of(t + "/" + i));
                }
            }
        } finally {
            senders.shutdownNow();
        }
    }

    @Test
    void bogusResponseIdFailsTheConnectionAndAllPendingRequests() {
        // After 3 requests: an answer to an ID never sent, then (in the same write) a valid
        // answer to request 0, which must not be delivered from a failed connection.
        StubServer server = server(Kind.UNIX, Transport.best(), () -> new AfterRequests(3, (ctx, packets) -> {
            ctx.write(new Packet(999, KvldsCodec.encodeResponse(KvldsResponse.Get.ABSENT)));
            ctx.writeAndFlush(new Packet(packets.get(0).id(), KvldsCodec.encodeResponse(KvldsResponse.Get.ABSENT)));
        }));
        KvldsClient client = client(server.address(), Transport.best());
        List<CompletableFuture<Key>> pending = List.of(
                client.get(Key.of("a")), client.get(Key.of("b")), client.get(Key.of("c")));

        for (CompletableFuture<Key> f : pending) {
            assertFailsWith(f, ConnectionClosedException.class).withMessageContaining("Received bogus response ID 999");
        }
        assertThat(client.closeFuture()).succeedsWithin(DEADLINE);
        assertThat(client.connection().isOpen()).isFalse();
        assertFailsWith(client.get(Key.of("later")), ConnectionClosedException.class);
    }

    @Test
    void serverCloseFailsPendingRequests() {
        StubServer server = server(Kind.UNIX, Transport.best(), () -> new AfterRequests(2, (ctx, packets) -> ctx.close()));
        KvldsClient client = client(server.address(), Transport.best());
        CompletableFuture<Key> first = client.get(Key.of("a"));
        CompletableFuture<Void> second = client.set(Key.of("a"), Key.of("b"));

        assertFailsWith(first, ConnectionClosedException.class);
        assertFailsWith(second, ConnectionClosedException.class);
        assertThat(client.closeFuture()).succeedsWithin(DEADLINE);
        assertFailsWith(client.params(), ConnectionClosedException.class);
    }

    @Test
    void clientCloseFailsPendingRequests() throws InterruptedException {
        CountDownLatch received = new CountDownLatch(1);
        StubServer server = server(Kind.TCP, Transport.best(), () -> new AfterRequests(1, (ctx, packets) -> received.countDown()));
        KvldsClient client = client(server.address(), Transport.best());
        CompletableFuture<Key> pending = client.get(Key.of("a"));
        assertThat(received.await(DEADLINE.toSeconds(), TimeUnit.SECONDS)).isTrue();
        client.close();
        assertFailsWith(pending, ConnectionClosedException.class);
    }

    @Test
    void malformedResponseFailsItsRequestAndTheConnection() {
        StubServer server = server(Kind.UNIX, Transport.best(), () -> new AfterRequests(2, (ctx, packets) ->
                ctx.writeAndFlush(new Packet(packets.get(0).id(), new byte[] {0, 0, 0, 2}))));
        KvldsClient client = client(server.address(), Transport.best());
        CompletableFuture<Key> answered = client.get(Key.of("a"));
        CompletableFuture<Key> waiting = client.get(Key.of("b"));

        assertFailsWith(answered, ProtocolException.class).withMessageContaining("status 2");
        assertFailsWith(waiting, ConnectionClosedException.class).withMessageContaining("status 2");
    }

    @Test
    void aDecoderThatThrowsFailsItsRequestRatherThanLosingIt() {
        StubServer server = server(Kind.UNIX, Transport.best(), EchoGet::new);
        KvldsClient client = client(server.address(), Transport.best());
        CompletableFuture<Object> broken = client.connection().send(
                KvldsCodec.encodeRequest(new KvldsRequest.Get(Key.of("a"))), record -> {
                    throw new IllegalStateException("decoder bug");
                });
        assertFailsWith(broken, IllegalStateException.class);
        assertThat(client.closeFuture()).succeedsWithin(DEADLINE);
    }

    @Test
    void aDecoderThatThrowsAnErrorFailsItsRequestAndTheOthersAndClosesTheConnection() {
        StubServer server = server(Kind.UNIX, Transport.best(), EchoGet::new);
        KvldsClient client = client(server.address(), Transport.best());
        CompletableFuture<Object> broken = client.connection().send(
                KvldsCodec.encodeRequest(new KvldsRequest.Get(Key.of("a"))), record -> {
                    throw new StackOverflowError("decoder recursed too deep");
                });
        assertFailsWith(broken, StackOverflowError.class);
        assertThat(client.closeFuture()).succeedsWithin(DEADLINE);
        assertFailsWith(client.get(Key.of("b")), ConnectionClosedException.class)
                .withMessageContaining("decoder recursed too deep");
    }

    @Test
    void theLongestRangeAnswerTheProtocolAllowsIsAccepted() {
        byte[] big = new byte[Key.MAX_LENGTH];
        List<KvldsResponse.Pair> pairs = new ArrayList<>();
        for (int i = 0; i < KvldsCodec.MAX_RANGE_PAIR_BYTES / (2 + 2 * Key.MAX_LENGTH); i++) {
            pairs.add(new KvldsResponse.Pair(Key.of(big), Key.of(big)));
        }
        byte[] answer = KvldsCodec.encodeResponse(new KvldsResponse.Range(Key.of(big), pairs));
        assertThat(answer.length).isEqualTo(KvldsCodec.MAX_RESPONSE_LENGTH).isEqualTo(KvldsClient.MAX_RESPONSE_LENGTH);
        StubServer server = server(Kind.UNIX, Transport.best(), () -> new AfterRequests(1, (ctx, packets) ->
                ctx.writeAndFlush(new Packet(packets.get(0).id(), answer))));
        KvldsClient client = client(server.address(), Transport.best());
        assertThat(client.range(Key.EMPTY, Key.EMPTY, 0xffffffffL)).succeedsWithin(DEADLINE)
                .satisfies(r -> assertThat(r.pairs()).hasSize(pairs.size()));
    }

    @Test
    void corruptFrameFromTheServerFailsTheConnection() {
        StubServer server = server(Kind.UNIX, Transport.best(), () -> new AfterRequests(1, (ctx, packets) ->
                ctx.writeAndFlush(Unpooled.wrappedBuffer(new byte[WireFormat.HEADER_LENGTH + 4]))));
        KvldsClient client = client(server.address(), Transport.best());
        CompletableFuture<Key> pending = client.get(Key.of("a"));
        assertFailsWith(pending, ConnectionClosedException.class)
                .withMessageContaining("Incorrect CRC on packet header")
                .withCauseInstanceOf(ProtocolException.class);
    }

    @Test
    void connectingToNothingFails() {
        EventLoopGroup group = group(Transport.best());
        KivalooAddress nowhere = KivalooAddress.parse(dir.resolve("nobody-here").toString());
        assertThat(KvldsClient.connect(nowhere, group, Transport.best()))
                .failsWithin(DEADLINE).withThrowableOfType(ExecutionException.class)
                .withCauseInstanceOf(IOException.class)
                .withMessageContaining("cannot connect to " + nowhere.text());
    }

    @Test
    void connectWithItsOwnEventLoopAndClose() {
        StubServer server = server(Kind.TCP, Transport.best(), EchoGet::new);
        KvldsClient client = KvldsClient.connect(server.address()).join();
        assertThat(client.get(Key.of("x"))).succeedsWithin(DEADLINE).isEqualTo(Key.of("x"));
        client.close();
        assertThat(client.closeFuture()).succeedsWithin(DEADLINE);
        // Whether or not its event loop has finished shutting down, a later request fails the same way.
        assertFailsWith(client.get(Key.of("y")), ConnectionClosedException.class);
    }

    // ---- fixtures

    /** Answers every KVLDS GET at once with its key as the value. */
    static final class EchoGet extends SimpleChannelInboundHandler<Packet> {
        @Override
        protected void channelRead0(ChannelHandlerContext ctx, Packet packet) throws ProtocolException {
            Key key = ((KvldsRequest.Get) KvldsCodec.decodeRequest(packet.record())).key();
            ctx.writeAndFlush(new Packet(packet.id(), KvldsCodec.encodeResponse(new KvldsResponse.Get(key))));
        }
    }

    /** Collects requests without answering; once {@code count} are in, runs {@code action} once. */
    static final class AfterRequests extends SimpleChannelInboundHandler<Packet> {
        interface Action {
            void run(ChannelHandlerContext ctx, List<Packet> packets);
        }

        private final int count;
        private final Action action;
        private final List<Packet> packets = new ArrayList<>();

        AfterRequests(int count, Action action) {
            this.count = count;
            this.action = action;
        }

        @Override
        protected void channelRead0(ChannelHandlerContext ctx, Packet packet) {
            packets.add(packet);
            if (packets.size() == count) {
                action.run(ctx, packets);
            }
        }
    }

    private StubServer server(Kind kind, Transport transport, Supplier<ChannelHandler> handler) {
        StubServer server = StubServer.start(kind, transport, group(transport), dir, handler);
        resources.add(server);
        return server;
    }

    private KvldsClient client(KivalooAddress address, Transport transport) {
        KvldsClient client = KvldsClient.connect(address, group(transport), transport).join();
        resources.add(client);
        return client;
    }

    private EventLoopGroup group(Transport transport) {
        EventLoopGroup group = transport.newEventLoopGroup(1, "test-" + transport.name());
        groups.add(group);
        return group;
    }

    private static <T> org.assertj.core.api.ThrowableAssertAlternative<?> assertFailsWith(
            CompletableFuture<T> future, Class<? extends Throwable> type) {
        return assertThat(future).failsWithin(DEADLINE).withThrowableOfType(ExecutionException.class)
                .havingCause().isInstanceOf(type);
    }
}
