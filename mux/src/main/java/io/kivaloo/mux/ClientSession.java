package io.kivaloo.mux;

import io.kivaloo.proto.wire.CoalescingFrameWriter;
import io.kivaloo.proto.wire.Packet;
import io.kivaloo.proto.wire.ProtocolException;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.socket.ChannelInputShutdownEvent;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.util.ArrayDeque;

/**
 * One client connection: the last handler of its pipeline, after proto's
 * frame decoder and encoder (DESIGN.md "Clients").
 *
 * <p>Requests are checked and forwarded upstream in the order they are
 * read; responses come back through {@link #deliver}. A request is held
 * here, and the client's reading paused, while it cannot be forwarded yet:
 * the target is disconnected, or the client already has
 * {@code maxInFlight} requests upstream. Reading is also paused while the
 * upstream connection or this client's own connection has more buffered
 * for writing than its high-water mark (see {@link #updateReading()}), so a
 * client that floods, or that does not read its responses, stops being read
 * without slowing anyone else.
 *
 * <p>States: {@code OPEN}; {@code INPUT_ENDED} after the client half-closed
 * (its requests still run and their responses are written, then the
 * connection closes, as in the C mux); {@code CLOSED} once the channel is
 * closed for any reason: responses still arriving for it are dropped and
 * their routes released. Event loop only.
 */
final class ClientSession extends ChannelInboundHandlerAdapter {

    private static final Logger log = LoggerFactory.getLogger(ClientSession.class);

    private enum State { OPEN, INPUT_ENDED, CLOSED }

    private final UpstreamLink upstream;
    private final RequestCheck check;
    private final FlushBatcher flusher;
    private final int maxInFlight;
    private final MuxMetrics metrics;
    /** Why mux closed this client, for metrics; null: the client hung up. */
    private String closeReason;
    /** Connection number, from 1 in accept order: Unix-socket peers have no address to log. */
    private final long number;
    /** Requests read but not yet forwarded; at most what one read delivered, as reading stops at once. */
    private final ArrayDeque<Packet> held = new ArrayDeque<>();
    private Channel channel;
    private CoalescingFrameWriter responses;
    private State state = State.OPEN;
    /** Requests of this client in the ID map: forwarded and not answered (or failed) yet. */
    private int inFlight;

    ClientSession(long number, UpstreamLink upstream, RequestCheck check, FlushBatcher flusher, int maxInFlight,
                  MuxMetrics metrics) {
        this.number = number;
        this.metrics = metrics;
        this.upstream = upstream;
        this.check = check;
        this.flusher = flusher;
        this.maxInFlight = maxInFlight;
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        channel = ctx.channel();
        responses = new CoalescingFrameWriter(channel);
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        log.debug("client connected client={} peer={}", number, channel.remoteAddress());
        metrics.clientOpened();
        updateReading();
        ctx.fireChannelActive();
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        Packet request = (Packet) msg;
        if (state == State.CLOSED) {
            return; // decoded from the same read that failed: nobody will answer it
        }
        held.add(request);
        forwardHeld();
        updateReading();
    }

    /**
     * Forwards held requests, oldest first, as far as the target's state and
     * this client's in-flight bound allow. A request that fails the check
     * closes the client; the ones before it have gone upstream and run.
     */
    void forwardHeld() {
        while (!held.isEmpty() && state != State.CLOSED && upstream.canForward() && inFlight < maxInFlight) {
            Packet request = held.poll();
            try {
                check.check(request.record());
            } catch (ProtocolException e) {
                closeForMisbehaviour(e.getMessage());
                return;
            }
            inFlight++;
            upstream.forward(this, request);
        }
        closeIfDrained();
    }

    /**
     * Reads from the client only while everything it sends can go straight
     * upstream. When the reason to pause lies upstream (disconnected, or its
     * write buffer over the high-water mark), the upstream link is asked to
     * call {@link #resume()} when that changes; a pause for this client's own
     * reasons ends in {@link #deliver} or {@link #channelWritabilityChanged}.
     */
    void updateReading() {
        if (state != State.OPEN) {
            return;
        }
        boolean upstreamOk = upstream.canForward() && upstream.isWritable();
        boolean read = upstreamOk && held.isEmpty() && inFlight < maxInFlight && channel.isWritable();
        if (channel.config().isAutoRead() != read) {
            channel.config().setAutoRead(read);
        }
        if (!upstreamOk) {
            upstream.resumeLater(this);
        }
    }

    /** The upstream link can take requests again. */
    void resume() {
        forwardHeld();
        updateReading();
    }

    /** The response to one of this client's requests, under the client's own ID. */
    void deliver(long clientId, byte[] record) {
        inFlight--;
        if (state != State.CLOSED) {
            responses.write(clientId, record);
            flusher.flushLater(responses);
        }
        forwardHeld();
        updateReading();
    }

    /**
     * One of this client's requests was in flight when the upstream
     * connection was lost: its outcome is unknown, and the client must not be
     * told anything made up, so the connection is closed (DESIGN.md "Upstream loss").
     */
    void upstreamLost() {
        inFlight--;
        if (state != State.CLOSED) {
            log.info("closing client: target connection lost with its requests in flight client={}", number);
            closeReason = MuxMetrics.TARGET_LOST;
            close();
        }
    }

    /** Requests read from this client and not forwarded yet. */
    int held() {
        return held.size();
    }

    /** Requests of this client sent upstream and not yet answered. */
    int inFlight() {
        return inFlight;
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object event) {
        if (event instanceof ChannelInputShutdownEvent) {
            // The client has sent everything; answer it, then close (the C mux does the same).
            if (state == State.OPEN) {
                if (!held.isEmpty() && !upstream.canForward()) {
                    // A half-close and a hang-up look the same from here. Requests that wait for an absent
                    // target would run after their client may have gone (a ghost write racing its retry):
                    // they are dropped, and the client sees its connection close, never an answer.
                    log.info("closing client: input ended while the target is away, dropping requests={} client={}",
                            held.size(), number);
                    closeReason = MuxMetrics.INPUT_ENDED_TARGET_AWAY;
                    close();
                    return;
                }
                state = State.INPUT_ENDED;
                channel.config().setAutoRead(false);
                closeIfDrained();
            }
            return;
        }
        ctx.fireUserEventTriggered(event);
    }

    @Override
    public void channelWritabilityChanged(ChannelHandlerContext ctx) {
        updateReading();
        ctx.fireChannelWritabilityChanged();
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        if (cause instanceof ProtocolException) {
            closeForMisbehaviour(cause.getMessage());
        } else if (cause instanceof IOException) {
            log.debug("client connection error client={} reason={}", number, cause.getMessage());
            closeReason = MuxMetrics.CONNECTION_ERROR;
            close();
        } else {
            log.error("unexpected failure on client connection client={}", number, cause);
            closeReason = MuxMetrics.CONNECTION_ERROR;
            close();
        }
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        state = State.CLOSED;
        held.clear();
        responses.discard();
        upstream.forget(this);
        log.debug("client gone client={} inFlight={}", number, inFlight);
        metrics.clientClosed(closeReason == null ? "hangup" : closeReason);
        ctx.fireChannelInactive();
    }

    private void closeForMisbehaviour(String reason) {
        log.warn("closing client: bad request client={} reason={}", number, reason);
        closeReason = MuxMetrics.BAD_REQUEST;
        close();
    }

    private void closeIfDrained() {
        if (state == State.INPUT_ENDED && held.isEmpty() && inFlight == 0) {
            state = State.CLOSED;
            // Closes once every response written so far has left, not before.
            responses.flush();
            channel.writeAndFlush(Unpooled.EMPTY_BUFFER).addListener(ChannelFutureListener.CLOSE);
        }
    }

    /** Stops reading at once and closes; requests already upstream keep running, their answers are dropped. */
    private void close() {
        state = State.CLOSED;
        held.clear();
        channel.config().setAutoRead(false);
        channel.close();
    }
}
