package io.kivaloo.mux;

import io.kivaloo.proto.daemon.PeerFailureLog;
import io.kivaloo.proto.wire.CoalescingFrameWriter;
import io.kivaloo.proto.wire.ProtocolException;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelOutboundBuffer;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.socket.ChannelInputShutdownEvent;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayDeque;

/**
 * One client connection: the last handler of its pipeline, after proto's
 * frame decoder, which hands over each request as the whole frame received
 * ({@code byte[]}, its CRCs checked); requests go upstream and answers come
 * back as such frames, with only their ID, header CRC and trailer rewritten
 * (DESIGN.md "Forwarding without re-encoding").
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
 * <p>Memory: each request is charged its longest answer before it goes
 * upstream, and the answer's bytes stay charged until they have left for
 * the socket ({@link AnswerBudget}). What has left is measured, not
 * assumed: after each flush, and, while some remain queued because the
 * client is not reading, when everything queued so far has been written
 * (an empty write's promise completes then). While answers stay queued
 * (<em>backlogged</em>), each further answer gets a buffer of its own size
 * instead of a share of a {@link CoalescingFrameWriter} buffer, whose
 * capacity (up to {@link CoalescingFrameWriter#LIMIT_BYTES}) counts however
 * little it holds: a client that does not read would otherwise pin up to
 * 64 KiB per answer burst.
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

    /**
     * A client's answer buffer starts here and grows only for a client that
     * gets more in one turn (CoalescingFrameWriter): one buffer holds a
     * GET's longest answer (280 bytes) several times over, and hundreds of
     * clients answered in one turn no longer take 64 KiB each
     * (DESIGN.md "Memory at 10,000 connections").
     */
    private static final int FIRST_ANSWER_BUFFER_BYTES = 1024;

    /**
     * Netty's estimate of the bookkeeping per buffer queued on a channel
     * ({@code io.netty.transport.outboundBufferEntrySizeOverhead}, default
     * 96), which it counts in {@link ChannelOutboundBuffer#totalPendingWriteBytes()};
     * charged per answer on top of its framed bytes.
     */
    static final long ENTRY_BYTES = 96;

    private final UpstreamLink upstream;
    private final RequestCheck check;
    private final FlushBatcher flusher;
    private final AnswerBudget budget;
    private final int maxInFlight;
    private final MuxMetrics metrics;
    /** Why mux closed this client, for metrics; null: the client hung up. */
    private String closeReason;
    /** Connection number, from 1 in accept order: Unix-socket peers have no address to log. */
    private final long number;
    /** Logs why this client is closed, its peer named {@code <address>#<number>}. */
    private PeerFailureLog failures;
    /**
     * Requests read but not yet forwarded, whole frames as received; at most
     * what one read delivered, as reading stops at once.
     */
    private final ArrayDeque<byte[]> held = new ArrayDeque<>();
    private Channel channel;
    private CoalescingFrameWriter responses;
    private State state = State.OPEN;
    /** Requests of this client in the ID map: forwarded and not answered (or failed) yet. */
    private int inFlight;
    /** Reading paused at {@code maxInFlight}, until {@code inFlight} is down to {@link #resumeReadingAt}. */
    private boolean pausedForInFlight;
    private final int resumeReadingAt;
    /** What the first held request will be charged, once checked; -1 until then. */
    private long headCharge = -1;
    /** Bytes charged to this client: its requests in flight, and its answers that have not left (below). */
    private long charged;
    /** Framed bytes of answers written for this client that, as last measured, have not left for its socket. */
    private long unsent;
    /** This session is in the budget's set of sessions holding unsent answers. */
    private boolean listedUnsent;
    /** An empty write waits behind the queued answers, to measure again once they have left. */
    private boolean drainWatched;
    /** {@link #unwrittenBytes()} at the last measure, to tell whether the socket took any since. */
    private long lastUnwritten;
    /** {@link System#nanoTime()} when the socket last took queued answers, or when some first stayed queued. */
    private long progressNanos;
    private final Runnable settleUnsent = this::settleUnsent;
    private final ChannelFutureListener drained = f -> {
        drainWatched = false;
        // Outside the outbound buffer's notification: the refund may resume other clients, which write.
        channel.eventLoop().execute(settleUnsent);
    };

    ClientSession(long number, UpstreamLink upstream, RequestCheck check, FlushBatcher flusher, AnswerBudget budget,
                  int maxInFlight, MuxMetrics metrics) {
        this.number = number;
        this.metrics = metrics;
        this.upstream = upstream;
        this.check = check;
        this.flusher = flusher;
        this.budget = budget;
        this.maxInFlight = maxInFlight;
        this.resumeReadingAt = maxInFlight - Math.max(1, maxInFlight / 4);
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        channel = ctx.channel();
        responses = new CoalescingFrameWriter(channel, FIRST_ANSWER_BUFFER_BYTES);
        failures = new PeerFailureLog(log, PeerFailureLog.peerName(channel) + "#" + number);
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        log.debug("client connected peer={}", failures.peer());
        metrics.clientOpened();
        updateReading();
        ctx.fireChannelActive();
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        byte[] request = (byte[]) msg;
        if (state == State.CLOSED) {
            return; // decoded from the same read that failed: nobody will answer it
        }
        held.add(request);
        forwardHeld();
        updateReading();
    }

    /**
     * Forwards held requests, oldest first, as far as the target's state,
     * this client's in-flight bound and the answer budget allow. A request
     * that fails the check closes the client; the ones before it have gone
     * upstream and run.
     */
    void forwardHeld() {
        while (!held.isEmpty() && state != State.CLOSED && upstream.canForward() && inFlight < maxInFlight) {
            byte[] request = held.peek();
            if (headCharge < 0) {
                try {
                    headCharge = check.check(request) + ENTRY_BYTES;
                } catch (ProtocolException e) {
                    closeForMisbehaviour(e.getMessage());
                    return;
                }
            }
            if (!budget.tryCharge(this, headCharge)) {
                break;
            }
            held.poll();
            long charge = headCharge;
            headCharge = -1;
            inFlight++;
            upstream.forward(this, request, charge);
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
        boolean read = upstreamOk && held.isEmpty() && !inFlightFull() && channel.isWritable();
        if (channel.config().isAutoRead() != read) {
            channel.config().setAutoRead(read);
        }
        if (!upstreamOk) {
            upstream.resumeLater(this);
        }
    }

    /**
     * Whether this client has too many requests upstream to be read. Reading
     * stops at {@code maxInFlight} and starts again only once a quarter of
     * them have been answered: a client that keeps exactly {@code maxInFlight}
     * requests out (the C bench programs keep 4,096, mux's default) turned
     * reading off and on, two {@code epoll_ctl} calls, with every answer.
     */
    private boolean inFlightFull() {
        if (inFlight >= maxInFlight) {
            pausedForInFlight = true;
        } else if (inFlight <= resumeReadingAt) {
            pausedForInFlight = false;
        }
        return pausedForInFlight;
    }

    /** The upstream link can take requests again, or the budget has room. */
    void resume() {
        forwardHeld();
        updateReading();
    }

    /**
     * The response to one of this client's requests, a whole frame as
     * received from the target, to go out under the client's own ID;
     * {@code charge} is what the request was charged. From now on the
     * answer's framed size stays charged, until it has left.
     */
    void deliver(long clientId, byte[] frame, long charge) {
        inFlight--;
        if (state == State.CLOSED) {
            budget.refund(this, charge);
        } else {
            if (listedUnsent) {
                // Backlogged: a buffer of the answer's own size, not a 64 KiB one.
                responses.writeReaddressedAlone(clientId, frame);
            } else {
                responses.writeReaddressed(clientId, frame);
            }
            long size = frame.length + ENTRY_BYTES;
            unsent += size;
            if (size > charge) {
                budget.charge(this, size - charge);
            } else {
                budget.refund(this, charge - size);
            }
            flusher.flushLater(responses, settleUnsent);
        }
        forwardHeld();
        updateReading();
    }

    /**
     * One of this client's requests was in flight when the upstream
     * connection was lost: its outcome is unknown, and the client must not be
     * told anything made up, so the connection is closed (DESIGN.md "Upstream loss").
     */
    void upstreamLost(long charge) {
        inFlight--;
        budget.refund(this, charge);
        if (state != State.CLOSED) {
            log.info("closing client: target connection lost with its requests in flight peer={}", failures.peer());
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

    /** Bytes charged to this client ({@link AnswerBudget} only). */
    long charged() {
        return charged;
    }

    void addCharged(long bytes) {
        charged += bytes;
    }

    /** Framed bytes of answers queued for this client that its socket has not taken, as last measured. */
    long unsentBytes() {
        return unsent;
    }

    /**
     * How long the socket has taken none of the queued answers, as of
     * {@code now} ({@link System#nanoTime()}); measured afresh, so that a
     * large answer leaving slowly counts as progress.
     */
    long stalledNanos(long now) {
        long unwritten = unwrittenBytes();
        if (unwritten < lastUnwritten) {
            progressNanos = now;
        }
        lastUnwritten = unwritten;
        return now - progressNanos;
    }

    /**
     * Closes this client to make room: its socket has taken none of its
     * answers for a while, and mux holds the most for it, while other
     * clients' requests wait. Also after a half-close (state CLOSED, the
     * channel still open while its last answers leave).
     */
    void closeForUnreadAnswers(long totalBytes, long maxTotalBytes) {
        if (channel.isOpen()) {
            log.warn("closing client: not reading its answers while mux is full peer={} unsentBytes={} stalledMillis={}"
                    + " totalBytes={} maxTotalBytes={}", failures.peer(), unsent,
                    (System.nanoTime() - progressNanos) / 1_000_000, totalBytes, maxTotalBytes);
            closeReason = MuxMetrics.UNREAD_ANSWERS;
            close();
        }
    }

    /**
     * Measures what of the answers written has not left yet (queued in the
     * channel, or gathered for the next flush) and refunds the rest. A
     * buffer counts whole until its last byte has left (its memory is held
     * until then), and Netty adds {@link #ENTRY_BYTES} per buffer, so the
     * measure errs high, on the bounded side. While some remain, an empty
     * write behind them calls this again once they have all left.
     */
    private void settleUnsent() {
        if (!channel.isActive()) {
            return; // refunded whole when the channel is gone (channelInactive)
        }
        long pending = queuedBytes();
        long left = unsent - pending;
        if (left > 0) {
            unsent = pending;
        }
        boolean holds = unsent > 0;
        long unwritten = unwrittenBytes();
        if (holds && (unwritten < lastUnwritten || left > 0 || !listedUnsent)) {
            progressNanos = System.nanoTime();
        }
        lastUnwritten = unwritten;
        if (holds != listedUnsent) {
            if (holds) {
                // Backlogged from now on (deliver): what was gathered goes first, so answers keep their order.
                responses.flush();
            }
            listedUnsent = holds;
            budget.holdsUnsent(this, holds);
        }
        if (holds && !drainWatched) {
            drainWatched = true;
            channel.writeAndFlush(Unpooled.EMPTY_BUFFER).addListener(drained);
        }
        if (left > 0) {
            budget.refund(this, left);
            if (!held.isEmpty()) {
                resume(); // it may have waited for its own answers to leave
            }
        }
    }

    /**
     * Bytes of answers queued for the socket, whole buffers (Netty's count:
     * bytes plus {@link #ENTRY_BYTES} per buffer), plus what is gathered for
     * the next flush.
     */
    private long queuedBytes() {
        ChannelOutboundBuffer outbound = channel.unsafe().outboundBuffer();
        return responses.pendingBytes() + (outbound == null ? 0 : outbound.totalPendingWriteBytes());
    }

    /**
     * {@link #queuedBytes()} less what of the first buffer the socket took
     * already: falls as a large answer leaves, before its buffer is done.
     * Every queued buffer is written from index 0, so its reader index is
     * what has left of it.
     */
    private long unwrittenBytes() {
        long unwritten = queuedBytes();
        ChannelOutboundBuffer outbound = channel.unsafe().outboundBuffer();
        Object current = outbound == null ? null : outbound.current();
        if (current instanceof ByteBuf) {
            unwritten -= ((ByteBuf) current).readerIndex();
        }
        return unwritten;
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
                    log.info("closing client: input ended while the target is away, dropping requests={} peer={}",
                            held.size(), failures.peer());
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
        failures.failed(cause);
        closeReason = cause instanceof ProtocolException ? MuxMetrics.BAD_REQUEST : MuxMetrics.CONNECTION_ERROR;
        close();
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        state = State.CLOSED;
        held.clear();
        responses.discard();
        upstream.forget(this);
        // The queued answers went with the channel. Forgotten first, so that the refund may pick the next to close.
        budget.forget(this);
        listedUnsent = false;
        long gone = unsent;
        unsent = 0;
        budget.refund(this, gone);
        log.debug("client gone peer={} inFlight={}", failures.peer(), inFlight);
        metrics.clientClosed(closeReason == null ? "hangup" : closeReason);
        ctx.fireChannelInactive();
    }

    private void closeForMisbehaviour(String reason) {
        failures.protocolViolation(reason);
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
