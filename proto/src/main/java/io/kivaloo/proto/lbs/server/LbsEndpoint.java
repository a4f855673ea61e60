package io.kivaloo.proto.lbs.server;

import io.kivaloo.proto.daemon.AcceptLimiter;
import io.kivaloo.proto.daemon.Listener;
import io.kivaloo.proto.daemon.StartupException;
import io.kivaloo.proto.net.KivalooAddress;
import io.kivaloo.proto.net.Transport;
import io.kivaloo.proto.wire.FrameDecoder;
import io.kivaloo.proto.wire.FrameEncoder;
import io.kivaloo.proto.wire.WireFormat;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;

import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The network side of an LBS server: one event-loop thread that listens and
 * serves one connection at a time, each through an {@link LbsConnectionHandler}
 * over the given {@link LbsBackend} (lbs.md §3). A connection is not read
 * until the previous one's work is finished, even if that client vanished,
 * so a client never sees a store another client is appending to.
 */
public final class LbsEndpoint {

    /** Listen backlog of the original: later clients wait there while one is served. */
    private static final int BACKLOG = 10;
    /**
     * Largest request record: an APPEND of up to 512 MiB. The C kvlds sends
     * at most a quarter of its cache (32 MiB by default) in one APPEND.
     */
    private static final int MAX_RECORD_LENGTH = WireFormat.DEFAULT_MAX_RECORD_LENGTH;

    private final LbsBackend backend;
    private final EventLoopGroup group;
    private final AcceptLimiter limiter;
    private final AtomicReference<CompletableFuture<Void>> lastDrained =
            new AtomicReference<>(CompletableFuture.completedFuture(null));
    private final Set<Channel> connections = ConcurrentHashMap.newKeySet();
    private final CompletableFuture<Void> singleDone = new CompletableFuture<>();
    private Listener listener;

    private LbsEndpoint(LbsBackend backend, Transport transport, String threadName, boolean single) {
        this.backend = backend;
        this.group = transport.newEventLoopGroup(1, threadName);
        this.limiter = new AcceptLimiter(1, single);
    }

    /**
     * Listens on {@code address} and serves {@code backend}; clients are served
     * once this returns.
     *
     * @param threadName name of the event-loop thread ({@code lbs-io}, ...)
     * @param single     serve only the first connection ({@code -1})
     */
    public static LbsEndpoint listen(KivalooAddress address, LbsBackend backend, String threadName, boolean single)
            throws StartupException {
        Transport transport = Transport.best();
        LbsEndpoint endpoint = new LbsEndpoint(backend, transport, threadName, single);
        try {
            endpoint.listener = Listener.bind(address, transport, endpoint.group, endpoint.group,
                    endpoint.childInitializer(), endpoint.limiter, false, BACKLOG);
        } catch (StartupException e) {
            endpoint.group.shutdownGracefully(0, 5, TimeUnit.SECONDS).awaitUninterruptibly();
            throw e;
        }
        if (single) {
            endpoint.limiter.firstConnectionDone()
                    .thenCompose(v -> endpoint.lastDrained.get())
                    .thenRun(() -> endpoint.singleDone.complete(null));
        }
        return endpoint;
    }

    /** With {@code -1}: completes once the first connection is closed and its work is done. Never otherwise. */
    public CompletableFuture<Void> singleConnectionDone() {
        return singleDone;
    }

    private ChannelInitializer<Channel> childInitializer() {
        return new ChannelInitializer<>() {
            @Override
            protected void initChannel(Channel ch) {
                // Reading starts once the previous client's work is done; EOF leaves the socket
                // open for the answers still owed.
                ch.config().setAutoRead(false);
                ch.config().setOption(ChannelOption.ALLOW_HALF_CLOSURE, true);
                LbsConnectionHandler handler = new LbsConnectionHandler(backend, lastDrained.get());
                lastDrained.set(handler.drained());
                connections.add(ch);
                ch.closeFuture().addListener(f -> connections.remove(ch));
                ch.pipeline().addLast("frameDecoder", new FrameDecoder(MAX_RECORD_LENGTH));
                ch.pipeline().addLast("frameEncoder", new FrameEncoder());
                ch.pipeline().addLast("lbs", handler);
            }
        };
    }

    /**
     * Stops listening (the socket file goes) and closes every connection, then
     * runs {@code stopBackend}, which finishes the work in flight, then stops
     * the event loop: the backend's last results still find a live loop.
     */
    public void close(Runnable stopBackend) {
        listener.close();
        limiter.closeHeld();
        for (Channel channel : connections) {
            channel.close().awaitUninterruptibly();
        }
        stopBackend.run();
        group.shutdownGracefully(0, 5, TimeUnit.SECONDS).awaitUninterruptibly();
    }
}
