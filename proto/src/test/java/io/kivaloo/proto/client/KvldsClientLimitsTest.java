package io.kivaloo.proto.client;

import io.kivaloo.proto.client.StubServer.Kind;
import io.kivaloo.proto.kvlds.Key;
import io.kivaloo.proto.kvlds.KvldsCodec;
import io.kivaloo.proto.kvlds.KvldsRequest;
import io.kivaloo.proto.kvlds.KvldsResponse;
import io.kivaloo.proto.net.Transport;
import io.kivaloo.proto.wire.Packet;
import io.kivaloo.proto.wire.ProtocolException;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The client library's promises to applications: an oversize request fails
 * alone and is never sent, requests made while the limits are asked for
 * leave in order, and a request timeout fails only the late request.
 */
class KvldsClientLimitsTest {

    private static final Duration DEADLINE = Duration.ofSeconds(60);

    @TempDir
    Path dir;

    private final Transport transport = Transport.best();
    private final EventLoopGroup group = transport.newEventLoopGroup(1, "client-limits-test");
    private final KvldsStub stub = new KvldsStub();
    private StubServer server;
    private KvldsClient client;

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

    private void connect() {
        server = StubServer.start(Kind.UNIX, transport, group, dir, () -> stub);
        client = KvldsClient.connect(server.address(), group, transport).join();
    }

    @Test
    void anOversizeSetFailsAloneAndIsNeverSent() {
        connect();
        CompletableFuture<Void> before = client.set(Key.of("ok-before"), Key.of("v"));
        CompletableFuture<Void> oversize = client.set(Key.of("a key of twenty b"), Key.of("v"));
        CompletableFuture<Boolean> oversizeValue = client.add(Key.of("k"), Key.of("x".repeat(33)));
        CompletableFuture<Void> after = client.set(Key.of("ok-after"), Key.of("v"));

        assertThat(before).succeedsWithin(DEADLINE);
        assertThat(after).succeedsWithin(DEADLINE);
        assertThat(oversize).failsWithin(DEADLINE).withThrowableOfType(java.util.concurrent.ExecutionException.class)
                .withCauseInstanceOf(OversizeRequestException.class)
                .withMessageContaining("SET key 17 bytes (expected: <= 16)");
        assertThat(oversizeValue).failsWithin(DEADLINE).withThrowableOfType(java.util.concurrent.ExecutionException.class)
                .withCauseInstanceOf(OversizeRequestException.class)
                .withMessageContaining("ADD value 33 bytes (expected: <= 32)");
        assertThat(stub.received).containsExactly("PARAMS", "SET ok-before", "SET ok-after");
        assertThat(client.limits()).succeedsWithin(DEADLINE).isEqualTo(new KvldsResponse.Params(16, 32));
    }

    @Test
    void requestsMadeWhileTheLimitsAreAskedForLeaveInTheOrderTheyWereMade() {
        stub.holdParams = true;
        connect();
        List<CompletableFuture<?>> sent = new ArrayList<>();
        sent.add(client.get(Key.of("read-first")));
        for (int i = 0; i < 50; i++) {
            sent.add(i % 2 == 0 ? client.set(Key.of("k" + i), Key.of("v")) : client.get(Key.of("k" + i)));
        }
        stub.releaseParams();
        CompletableFuture.allOf(sent.toArray(new CompletableFuture[0])).orTimeout(60, TimeUnit.SECONDS).join();

        List<String> expected = new ArrayList<>(List.of("GET read-first", "PARAMS"));
        for (int i = 0; i < 50; i++) {
            expected.add((i % 2 == 0 ? "SET k" : "GET k") + i);
        }
        assertThat(stub.received).containsExactlyElementsOf(expected);
    }

    @Test
    void aRequestTimeoutFailsTheLateRequestAndTheConnectionServesOn() {
        connect();
        KvldsClient impatient = client.withRequestTimeout(Duration.ofMillis(200));
        CompletableFuture<Key> unanswered = impatient.get(Key.of("never"));
        assertThat(unanswered).failsWithin(DEADLINE).withThrowableOfType(java.util.concurrent.ExecutionException.class)
                .withCauseInstanceOf(TimeoutException.class);
        assertThat(impatient.get(Key.of("answered"))).succeedsWithin(DEADLINE).isNull();
        assertThat(client.connection().closeFuture()).isNotDone();
    }

    /** Answers PARAMS with (16, 32), SET with success, GET with absent (except "never": no answer); records what came. */
    @ChannelHandler.Sharable
    static final class KvldsStub extends SimpleChannelInboundHandler<Packet> {
        final List<String> received = new CopyOnWriteArrayList<>();
        volatile boolean holdParams;
        final CompletableFuture<Void> paramsHeld = new CompletableFuture<>();
        private volatile ChannelHandlerContext heldContext;
        private volatile long heldId = -1;

        @Override
        protected void channelRead0(ChannelHandlerContext ctx, Packet packet) throws ProtocolException {
            KvldsRequest request = KvldsCodec.decodeRequest(packet.record());
            if (request instanceof KvldsRequest.Params) {
                received.add("PARAMS");
                if (holdParams) {
                    heldContext = ctx;
                    heldId = packet.id();
                    paramsHeld.complete(null);
                    return;
                }
                answer(ctx, packet.id(), new KvldsResponse.Params(16, 32));
            } else if (request instanceof KvldsRequest.Set) {
                received.add("SET " + ((KvldsRequest.Set) request).key().toUtf8String());
                answer(ctx, packet.id(), new KvldsResponse.Status(0));
            } else if (request instanceof KvldsRequest.Get) {
                String key = ((KvldsRequest.Get) request).key().toUtf8String();
                received.add("GET " + key);
                if (!key.equals("never")) {
                    answer(ctx, packet.id(), new KvldsResponse.Get(null));
                }
            } else {
                received.add(request.toString());
            }
        }

        void releaseParams() {
            paramsHeld.orTimeout(60, TimeUnit.SECONDS).join();
            ChannelHandlerContext ctx = heldContext;
            ctx.executor().execute(() -> answer(ctx, heldId, new KvldsResponse.Params(16, 32)));
        }

        private static void answer(ChannelHandlerContext ctx, long id, KvldsResponse response) {
            ctx.writeAndFlush(new Packet(id, KvldsCodec.encodeResponse(response)));
        }
    }
}
