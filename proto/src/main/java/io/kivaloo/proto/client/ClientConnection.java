package io.kivaloo.proto.client;

import io.kivaloo.proto.net.KivalooAddress;
import io.kivaloo.proto.net.Transport;
import io.kivaloo.proto.wire.FrameDecoder;
import io.kivaloo.proto.wire.FrameEncoder;
import io.kivaloo.proto.wire.GatheredPacket;
import io.kivaloo.proto.wire.Packet;
import io.kivaloo.proto.wire.ProtocolException;
import io.kivaloo.proto.wire.RequestIdMap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoop;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.CompletionException;
import java.util.concurrent.RejectedExecutionException;
import java.util.function.LongFunction;

/**
 * One client connection carrying many requests at once (the original's
 * request queue, lib/wire/wire_requestqueue.c).
 *
 * <p>Requests get sequential IDs from 0. Responses may arrive in any order
 * and are matched to their requests through the pending table. A response
 * with an unknown ID, a bad packet or a malformed response record fails the
 * whole connection: every outstanding request and every later one fails with
 * {@link ConnectionClosedException}, since their outcomes are unknown.
 *
 * <p>Threading: all state lives on the channel's event loop. {@link #send}
 * may be called from any thread; off the loop it hands the request over as a
 * task. Futures complete on the event loop, so callbacks chained to them must
 * not block. Writes are flushed once per event-loop turn, so a burst of
 * requests leaves in few system calls.
 */
public final class ClientConnection implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(ClientConnection.class);

    private final Channel channel;
    private final EventLoop loop;
    private final String peer;
    private final RequestIdMap<Pending<?>> pending = new RequestIdMap<>();
    private final CompletableFuture<Void> closed = new CompletableFuture<>();
    private final Runnable flushTask = this::flushNow;
    private long nextId;
    private boolean flushScheduled;
    private Throwable failure;

    private ClientConnection(Channel channel, String peer) {
        this.channel = channel;
        this.loop = channel.eventLoop();
        this.peer = peer;
    }

    /**
     * Connects to {@code address}.
     *
     * @param maxResponseLength largest response record accepted, in bytes
     */
    public static CompletableFuture<ClientConnection> connect(KivalooAddress address, EventLoopGroup group,
                                                              Transport transport, int maxResponseLength) {
        ClientConnection[] holder = new ClientConnection[1];
        ChannelInitializer<Channel> initializer = new ChannelInitializer<>() {
            @Override
            protected void initChannel(Channel ch) {
                ClientConnection connection = new ClientConnection(ch, address.text());
                holder[0] = connection;
                ch.pipeline().addLast("frameDecoder", new FrameDecoder(maxResponseLength));
                ch.pipeline().addLast("frameEncoder", new FrameEncoder());
                ch.pipeline().addLast("responses", connection.new ResponseHandler());
            }
        };
        return Connector.connect(address, group, transport, initializer).thenApply(ch -> holder[0]);
    }

    /**
     * Connects on an event loop of its own (one thread named {@code threadName}),
     * shut down once the connection has closed, for whatever reason: the
     * clients' {@code connect(address)}.
     */
    public static CompletableFuture<ClientConnection> connect(KivalooAddress address, String threadName,
                                                              int maxResponseLength) {
        Transport transport = Transport.best();
        EventLoopGroup group = transport.newEventLoopGroup(1, threadName);
        return connect(address, group, transport, maxResponseLength).handle((connection, e) -> {
            if (e != null) {
                group.shutdownGracefully(0, 0, TimeUnit.SECONDS);
                throw new CompletionException(e);
            }
            connection.closeFuture().whenComplete((v, x) -> group.shutdownGracefully(0, 0, TimeUnit.SECONDS));
            return connection;
        });
    }

    /** The address this connection was opened to, as written. */
    public String peer() {
        return peer;
    }

    /**
     * Sends one request record; the future completes with the decoded response,
     * or fails with {@link ConnectionClosedException} if the connection is lost first.
     */
    public <T> CompletableFuture<T> send(byte[] record, ResponseDecoder<T> decoder) {
        return send(id -> new Packet(id, record), decoder);
    }

    /**
     * Sends one request record made of {@code pieces} back to back, framed
     * without joining them ({@link GatheredPacket}); otherwise as {@link #send}.
     */
    public <T> CompletableFuture<T> sendGathered(byte[][] pieces, ResponseDecoder<T> decoder) {
        return send(id -> new GatheredPacket(id, pieces), decoder);
    }

    private <T> CompletableFuture<T> send(LongFunction<Object> packetWithId, ResponseDecoder<T> decoder) {
        CompletableFuture<T> future = new CompletableFuture<>();
        if (loop.inEventLoop()) {
            sendOnLoop(packetWithId, decoder, future);
        } else {
            try {
                loop.execute(() -> sendOnLoop(packetWithId, decoder, future));
            } catch (RejectedExecutionException e) {
                // The event loop has shut down (a client closed with its own loop):
                // the connection is gone, so the request fails like any later one.
                future.completeExceptionally(closedException());
            }
        }
        return future;
    }

    private <T> void sendOnLoop(LongFunction<Object> packetWithId, ResponseDecoder<T> decoder, CompletableFuture<T> future) {
        if (failure != null || !channel.isActive()) {
            future.completeExceptionally(closedException());
            return;
        }
        long id = nextId++;
        pending.put(id, new Pending<>(decoder, future));
        channel.write(packetWithId.apply(id), channel.voidPromise());
        if (!flushScheduled) {
            flushScheduled = true;
            loop.execute(flushTask);
        }
    }

    private void flushNow() {
        flushScheduled = false;
        channel.flush();
    }

    /** Requests sent and not answered yet. Only meaningful on the event loop. */
    public int outstanding() {
        return pending.size();
    }

    /** Completes when the connection has closed, normally or not. */
    public CompletableFuture<Void> closeFuture() {
        return closed;
    }

    /** True while the connection can carry requests. */
    public boolean isOpen() {
        return channel.isActive() && failure == null;
    }

    /** Closes the connection; outstanding requests fail. */
    @Override
    public void close() {
        channel.close();
    }

    private ConnectionClosedException closedException() {
        String message = "connection to " + peer + " closed";
        return failure == null ? new ConnectionClosedException(message)
                : new ConnectionClosedException(message + ": " + failure.getMessage(), failure);
    }

    private void fail(Throwable cause) {
        if (failure == null) {
            failure = cause;
            if (cause instanceof Error) {
                log.error("connection failed peer={} reason={}", peer, cause.toString(), cause);
            } else {
                log.warn("connection failed peer={} reason={}", peer, cause.getMessage());
            }
        }
        channel.close();
    }

    private void failAllPending() {
        if (pending.isEmpty()) {
            return;
        }
        List<Pending<?>> all = pending.removeAll();
        ConnectionClosedException e = closedException();
        for (Pending<?> p : all) {
            p.future.completeExceptionally(e);
        }
    }

    private static final class Pending<T> {
        final ResponseDecoder<T> decoder;
        final CompletableFuture<T> future;

        Pending(ResponseDecoder<T> decoder, CompletableFuture<T> future) {
            this.decoder = decoder;
            this.future = future;
        }

        void complete(byte[] record) throws ProtocolException {
            future.complete(decoder.decode(record));
        }
    }

    private final class ResponseHandler extends SimpleChannelInboundHandler<Packet> {

        @Override
        protected void channelRead0(ChannelHandlerContext ctx, Packet packet) {
            if (failure != null) {
                // Packets decoded in the same read as the one that failed the
                // connection: their requests fail with the rest in channelInactive.
                return;
            }
            Pending<?> p = pending.remove(packet.id());
            if (p == null) {
                fail(new ProtocolException("Received bogus response ID " + Long.toUnsignedString(packet.id())));
                return;
            }
            try {
                p.complete(packet.record());
            } catch (ProtocolException | RuntimeException | Error e) {
                // The request is already out of the pending table: fail it here,
                // or its future would never complete. An Error too (a decoder
                // out of memory or stack): the connection then closes and every
                // other request fails, rather than waiting for answers forever.
                p.future.completeExceptionally(e);
                fail(e);
            }
        }

        @Override
        public void channelInactive(ChannelHandlerContext ctx) {
            failAllPending();
            closed.complete(null);
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            fail(cause);
        }
    }
}
