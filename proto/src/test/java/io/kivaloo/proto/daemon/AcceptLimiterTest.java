package io.kivaloo.proto.daemon;

import io.kivaloo.proto.client.KvldsClient;
import io.kivaloo.proto.net.KivalooAddress;
import io.kivaloo.proto.net.Transport;
import io.kivaloo.proto.wire.FrameDecoder;
import io.kivaloo.proto.wire.FrameEncoder;
import io.kivaloo.proto.wire.Packet;
import io.kivaloo.proto.wire.WireFormat;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.junit.jupiter.api.Assertions.assertFalse;

/**
 * {@link AcceptLimiter}: in an {@link EmbeddedChannel} standing for the
 * listening socket (accepted connections are the messages it reads), and
 * once over a real Unix socket.
 */
class AcceptLimiterTest {

    private static final Duration DEADLINE = Duration.ofSeconds(60);

    @TempDir
    Path dir;

    @Test
    void atTheLimitAConnectionIsHeldUntilAnotherCloses() {
        AcceptLimiter limiter = new AcceptLimiter(1, false);
        EmbeddedChannel listener = new EmbeddedChannel(limiter);
        EmbeddedChannel first = new EmbeddedChannel();
        EmbeddedChannel second = new EmbeddedChannel();

        listener.writeInbound(first);
        assertThat((Object) listener.readInbound()).isSameAs(first);
        assertThat(listener.config().isAutoRead()).as("accepting at the limit").isFalse();
        assertThat(limiter.openConnections()).isEqualTo(1);

        // Accepted by the kernel before accepting stopped: held back, not served.
        listener.writeInbound(second);
        assertThat((Object) listener.readInbound()).isNull();

        first.close();
        listener.runPendingTasks();
        assertThat((Object) listener.readInbound()).isSameAs(second);
        assertThat(limiter.openConnections()).isEqualTo(1);
        assertThat(listener.config().isAutoRead()).isFalse();

        second.close();
        listener.runPendingTasks();
        assertThat(limiter.openConnections()).isZero();
        assertThat(listener.config().isAutoRead()).as("accepting again").isTrue();
        assertFalse(listener.finish());
    }

    @Test
    void aPausedLimiterAcceptsNothingUntilOpened() {
        AcceptLimiter limiter = AcceptLimiter.paused(1, false);
        EmbeddedChannel listener = new EmbeddedChannel(limiter);
        EmbeddedChannel early = new EmbeddedChannel();
        assertThat(listener.config().isAutoRead()).as("accepting while paused").isFalse();

        // Handed over by the kernel before the pause took effect: held, not served.
        listener.writeInbound(early);
        assertThat((Object) listener.readInbound()).isNull();
        assertThat(limiter.openConnections()).isZero();

        limiter.open();
        listener.runPendingTasks();
        assertThat((Object) listener.readInbound()).as("the held connection, once open").isSameAs(early);
        assertThat(limiter.openConnections()).isEqualTo(1);
        assertThat(listener.config().isAutoRead()).as("accepting at the limit").isFalse();

        early.close();
        listener.runPendingTasks();
        assertThat(listener.config().isAutoRead()).as("accepting after open").isTrue();
        assertFalse(listener.finish());
    }

    @Test
    void singleModeServesOneConnectionAndReportsWhenItIsDone() {
        AcceptLimiter limiter = new AcceptLimiter(0, true);
        EmbeddedChannel listener = new EmbeddedChannel(limiter);
        EmbeddedChannel first = new EmbeddedChannel();
        EmbeddedChannel second = new EmbeddedChannel();

        listener.writeInbound(first);
        assertThat((Object) listener.readInbound()).isSameAs(first);
        listener.writeInbound(second);
        assertThat((Object) listener.readInbound()).isNull();
        assertThat(limiter.firstConnectionDone()).isNotDone();

        first.close();
        listener.runPendingTasks();
        assertThat(limiter.firstConnectionDone()).isCompleted();
        assertThat((Object) listener.readInbound()).as("never a second connection").isNull();
        assertThat(listener.config().isAutoRead()).isFalse();

        limiter.closeHeld();
        assertThat(second.isOpen()).isFalse();
        assertFalse(listener.finish());
    }

    @Test
    void closeHeldClosesConnectionsThatWereNeverRegistered() {
        // A real held connection is not on any event loop yet: close() on it would throw.
        AcceptLimiter limiter = new AcceptLimiter(1, false);
        EmbeddedChannel listener = new EmbeddedChannel(limiter);
        EmbeddedChannel first = new EmbeddedChannel();
        NioSocketChannel held = new NioSocketChannel();
        listener.writeInbound(first);
        listener.writeInbound(held);
        assertThat((Object) listener.readInbound()).isSameAs(first);
        assertThat((Object) listener.readInbound()).isNull();

        limiter.closeHeld();
        assertThat(held.isOpen()).isFalse();
        first.close();
        listener.runPendingTasks();
        assertThat((Object) listener.readInbound()).as("a closed held connection is not admitted later").isNull();
        assertFalse(listener.finish());
    }

    @Test
    void noLimitAdmitsEveryConnection() {
        AcceptLimiter limiter = new AcceptLimiter(0, false);
        EmbeddedChannel listener = new EmbeddedChannel(limiter);
        for (int i = 0; i < 5; i++) {
            EmbeddedChannel child = new EmbeddedChannel();
            listener.writeInbound(child);
            assertThat((Object) listener.readInbound()).isSameAs(child);
        }
        assertThat(limiter.openConnections()).isEqualTo(5);
        assertThat(listener.config().isAutoRead()).isTrue();
        assertFalse(listener.finish());
    }

    @Test
    void aNegativeLimitIsRefused() {
        assertThatIllegalArgumentException().isThrownBy(() -> new AcceptLimiter(-1, false));
    }

    @Test
    void withMaxOneTheSecondClientIsNotServedUntilTheFirstCloses() throws Exception {
        Transport transport = Transport.best();
        EventLoopGroup group = transport.newEventLoopGroup(2, "limiter-test");
        AtomicInteger served = new AtomicInteger();
        AcceptLimiter limiter = new AcceptLimiter(1, false);
        KivalooAddress address = KivalooAddress.parse(dir.resolve("one.sock").toString());
        try (Listener listener = Listener.bind(address, transport, group, group, new ChannelInitializer<Channel>() {
            @Override
            protected void initChannel(Channel ch) {
                served.incrementAndGet();
                ch.pipeline().addLast(new FrameDecoder(WireFormat.DEFAULT_MAX_RECORD_LENGTH), new FrameEncoder(), new Echo());
            }
        }, limiter, false, 10)) {
            KvldsClient first = KvldsClient.connect(address, group, transport).join();
            assertThat(first.sendRaw(new byte[] {1})).succeedsWithin(DEADLINE);

            // The kernel completes the second connect from its backlog, but nobody reads it.
            KvldsClient second = KvldsClient.connect(address, group, transport).join();
            CompletableFuture<byte[]> waiting = second.sendRaw(new byte[] {2});
            assertThat(first.sendRaw(new byte[] {3})).succeedsWithin(DEADLINE);
            assertThat(waiting).isNotDone();
            assertThat(served.get()).isEqualTo(1);
            assertThat(limiter.openConnections()).isEqualTo(1);

            first.close();
            assertThat(waiting).succeedsWithin(DEADLINE).isEqualTo(new byte[] {2});
            assertThat(served.get()).isEqualTo(2);
            second.close();
            assertThat(second.closeFuture()).succeedsWithin(DEADLINE);
        } finally {
            group.shutdownGracefully(0, 10, TimeUnit.SECONDS).syncUninterruptibly();
        }
    }

    @Test
    void singleModeOverARealSocketCompletesWhenTheClientLeaves() throws Exception {
        Transport transport = Transport.best();
        EventLoopGroup group = transport.newEventLoopGroup(1, "limiter-single-test");
        AcceptLimiter limiter = new AcceptLimiter(0, true);
        KivalooAddress address = KivalooAddress.parse(dir.resolve("single.sock").toString());
        try (Listener listener = Listener.bind(address, transport, group, group, new ChannelInitializer<Channel>() {
            @Override
            protected void initChannel(Channel ch) {
                ch.pipeline().addLast(new FrameDecoder(WireFormat.DEFAULT_MAX_RECORD_LENGTH), new FrameEncoder(), new Echo());
            }
        }, limiter, false, 10)) {
            KvldsClient client = KvldsClient.connect(address, group, transport).join();
            assertThat(client.sendRaw(new byte[] {1})).succeedsWithin(DEADLINE);
            assertThat(limiter.firstConnectionDone()).isNotDone();
            client.close();
            assertThat(limiter.firstConnectionDone()).succeedsWithin(DEADLINE);
            limiter.closeHeld();
        } finally {
            group.shutdownGracefully(0, 10, TimeUnit.SECONDS).syncUninterruptibly();
        }
    }

    /** Answers each packet with its own record. */
    static final class Echo extends SimpleChannelInboundHandler<Packet> {
        @Override
        protected void channelRead0(ChannelHandlerContext ctx, Packet packet) {
            ctx.writeAndFlush(packet);
        }
    }
}
