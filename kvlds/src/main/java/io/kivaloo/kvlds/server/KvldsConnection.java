package io.kivaloo.kvlds.server;

import io.kivaloo.kvlds.btree.RangeBudget;
import io.kivaloo.proto.daemon.PeerFailureLog;
import io.kivaloo.proto.kvlds.Key;
import io.kivaloo.proto.kvlds.KvldsCodec;
import io.kivaloo.proto.kvlds.KvldsRequest;
import io.kivaloo.proto.kvlds.KvldsResponse;
import io.kivaloo.proto.wire.CoalescingFrameWriter;
import io.kivaloo.proto.wire.FrameDecoder;
import io.kivaloo.proto.wire.FrameEncoder;
import io.kivaloo.proto.wire.Packet;
import io.kivaloo.proto.wire.ProtocolException;
import io.kivaloo.proto.wire.WireFormat;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelOutboundBuffer;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.WriteBufferWaterMark;
import io.netty.channel.socket.ChannelInputShutdownEvent;
import java.util.ArrayDeque;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One client connection (kvlds.md §2, §7): parses requests, checks the
 * key/value limits, hands them to the {@link Dispatcher}, and writes the
 * answers back.
 *
 * <p>Flow control, by count and by bytes (DESIGN.md "Memory bounds"): a
 * request starts only while fewer than {@value #MAX_OWED} are owed, while
 * the answers not yet sent stay under the outbound high-water mark
 * ({@link #WATER_MARK}), and, for a RANGE, while the RANGEs running hold at
 * most {@link #MAX_RANGE_HELD_BYTES} by their {@link RangeBudget#heldBound}
 * (one RANGE may always run). A request that cannot start waits, with every
 * later one, in {@link #deferred}, and the socket is not read until they have
 * all started: a frame decoder delivers every request of a read that is
 * already buffered, so stopping the reads alone is not enough. A client that
 * pipelines whole-store RANGEs and reads nothing therefore costs at most
 * {@link #heldBound()} bytes, and resumes where it stopped once it reads.
 *
 * <p>Answers are framed into one buffer per event-loop turn
 * ({@link CoalescingFrameWriter}): a GET's answer is 60 bytes, and passing
 * each through the pipeline as its own message cost more than finding it in
 * the tree.
 *
 * <p>Dropping (EOF, a bad packet, a malformed request, an over-long key or
 * value, a write error): stop reading, discard the modifications not yet in
 * a batch (never answered nor executed), let the running reads and batch
 * finish, then close once nothing is owed.
 *
 * <p>Owner thread (the event loop) only.
 */
final class KvldsConnection extends ChannelInboundHandlerAdapter implements Client {

    /** Requests owed before kvlds stops reading (the C kvlds's limit). */
    static final int MAX_OWED = 4096;

    /** Bytes the RANGEs running on one connection may hold, by their bounds: four whole-store RANGEs. */
    static final long MAX_RANGE_HELD_BYTES = 4L * KvldsCodec.MAX_RANGE_PAIR_BYTES;

    /**
     * Answers written and not yet taken by the client, in bytes: above the
     * high mark nothing new starts until they drain below the low one.
     */
    static final WriteBufferWaterMark WATER_MARK = new WriteBufferWaterMark(1 << 20, 4 << 20);

    /** Longest answer other than RANGE, framed: a GET's status and a 255-byte value. */
    private static final int MAX_SMALL_ANSWER = WireFormat.OVERHEAD + 4 + 1 + Key.MAX_LENGTH;

    private static final Logger log = LoggerFactory.getLogger(KvldsConnection.class);

    private final Dispatcher dispatcher;
    private final KvldsLimits limits;
    private final Runnable flushTask = this::flushNow;
    private CoalescingFrameWriter answers;
    private Channel channel;
    private PeerFailureLog failures;
    /** Requests started and not answered yet. */
    private int owed;
    /** Requests read that could not start yet, in arrival order. */
    private final ArrayDeque<Deferred> deferred = new ArrayDeque<>();
    /** Sum of {@link RangeBudget#heldBound} over the RANGEs running. */
    private long rangeHeldBytes;
    /** Largest {@link #heldBytes()} seen, for tests and the status line. */
    private long peakHeldBytes;
    private long requestsRead;
    private boolean starting;
    private boolean dropped;
    private boolean flushScheduled;

    /** Made once the tree is recovered: kvlds accepts no connection before (KvldsServer). */
    KvldsConnection(Dispatcher dispatcher, KvldsLimits limits) {
        this.dispatcher = dispatcher;
        this.limits = limits;
    }

    /** A client's pipeline: framing, then this connection (the warm-up builds its own the same way). */
    void install(ChannelPipeline pipeline) {
        pipeline.addLast("frameDecoder", new FrameDecoder(KvldsCodec.MAX_REQUEST_LENGTH));
        pipeline.addLast("frameEncoder", new FrameEncoder());
        pipeline.addLast("kvlds", this);
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) throws Exception {
        channel = ctx.channel();
        channel.config().setWriteBufferWaterMark(WATER_MARK);
        answers = new CoalescingFrameWriter(channel);
        failures = new PeerFailureLog(log, PeerFailureLog.peerName(channel));
        log.info("client connected peer={}", failures.peer());
        updateReading();
        super.channelActive(ctx);
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        Packet packet = (Packet) msg;
        if (dropped) {
            return;
        }
        KvldsRequest request;
        try {
            request = KvldsCodec.decodeRequest(packet.record());
        } catch (ProtocolException e) {
            failures.protocolViolation("malformed request: " + e.getMessage());
            drop();
            return;
        }
        if (request instanceof KvldsRequest.Modifying && !withinLimits((KvldsRequest.Modifying) request)) {
            return;
        }
        requestsRead++;
        if (deferred.isEmpty() && !starting && canStart(request)) {
            // The common case: nothing waits, so this one starts without a queue entry.
            start(packet.id(), request);
        } else {
            deferred.add(new Deferred(packet.id(), request));
            startDeferred();
        }
        updateReading();
    }

    /** Starts waiting requests, oldest first, as far as the bounds allow (see the class comment). */
    private void startDeferred() {
        if (starting) {
            return; // a request answered at once, from inside start(): the loop below goes on
        }
        starting = true;
        try {
            while (!dropped && !deferred.isEmpty() && canStart(deferred.peek().request)) {
                Deferred next = deferred.poll();
                start(next.id, next.request);
            }
        } finally {
            starting = false;
        }
    }

    private boolean canStart(KvldsRequest request) {
        if (owed >= MAX_OWED || !channel.isWritable()) {
            return false;
        }
        if (request.type() != KvldsRequest.RANGE) {
            return true;
        }
        long bound = RangeBudget.heldBound(((KvldsRequest.Range) request).maxBytes());
        return rangeHeldBytes == 0 || rangeHeldBytes + bound <= MAX_RANGE_HELD_BYTES;
    }

    private void start(long id, KvldsRequest request) {
        owed++;
        switch (request.type()) {
            case KvldsRequest.PARAMS:
                respond(id, new KvldsResponse.Params(limits.maxKeyLength(), limits.maxValueLength()));
                break;
            case KvldsRequest.GET:
                dispatcher.get(this, id, ((KvldsRequest.Get) request).key());
                break;
            case KvldsRequest.RANGE:
                long bound = RangeBudget.heldBound(((KvldsRequest.Range) request).maxBytes());
                rangeHeldBytes += bound;
                notePeak();
                dispatcher.range((KvldsRequest.Range) request, response -> {
                    rangeHeldBytes -= bound;
                    respond(id, response);
                });
                break;
            default:
                dispatcher.modify(this, id, (KvldsRequest.Modifying) request);
                break;
        }
    }

    /** SET, CAS, ADD and MODIFY must respect -k and -v (CAS: the new value; oval is not checked). */
    private boolean withinLimits(KvldsRequest.Modifying m) {
        Key value;
        switch (m.type()) {
            case KvldsRequest.SET:
                value = ((KvldsRequest.Set) m).value();
                break;
            case KvldsRequest.CAS:
                value = ((KvldsRequest.Cas) m).value();
                break;
            case KvldsRequest.ADD:
                value = ((KvldsRequest.Add) m).value();
                break;
            case KvldsRequest.MODIFY:
                value = ((KvldsRequest.Modify) m).value();
                break;
            default:
                return true; // DELETE and CAD take keys up to 255 bytes whatever -k says
        }
        if (m.key().length() > limits.maxKeyLength() || value.length() > limits.maxValueLength()) {
            failures.protocolViolation("key or value too long: key=" + m.key().length() + " value=" + value.length()
                    + " (expected: <= " + limits.maxKeyLength() + ", <= " + limits.maxValueLength() + ")");
            drop();
            return false;
        }
        return true;
    }

    @Override
    public void respond(long id, KvldsResponse response) {
        owed--;
        if (channel.isActive()) {
            answers.write(id, KvldsCodec.encodeResponse(response));
            if (!flushScheduled) {
                flushScheduled = true;
                channel.eventLoop().execute(flushTask);
            }
        }
        notePeak();
        if (dropped) {
            closeIfIdle();
        } else {
            startDeferred();
            updateReading();
        }
    }

    /**
     * Bytes this connection holds for its client: the bounds of the RANGEs
     * running, and the answers framed but not yet taken by the client
     * (gathered, or queued in the channel's outbound buffer).
     */
    long heldBytes() {
        ChannelOutboundBuffer outbound = channel.unsafe().outboundBuffer();
        long queued = outbound == null ? 0 : outbound.totalPendingWriteBytes();
        return rangeHeldBytes + queued + answers.pendingBytes();
    }

    /**
     * What {@link #heldBytes()} can reach: new work starts only below the
     * high-water mark, so the queue holds at most the mark, plus the answers
     * of the RANGEs then running (within their bounds), plus the small answers
     * of the other requests owed, plus one gathering buffer.
     */
    static long heldBound() {
        return WATER_MARK.high() + MAX_RANGE_HELD_BYTES + (long) MAX_OWED * MAX_SMALL_ANSWER
                + CoalescingFrameWriter.LIMIT_BYTES;
    }

    long peakHeldBytes() {
        return peakHeldBytes;
    }

    /** Requests read so far, started or not. */
    long requestsRead() {
        return requestsRead;
    }

    /** Requests read and waiting for the bounds to let them start. */
    int deferredCount() {
        return deferred.size();
    }

    int owed() {
        return owed;
    }

    boolean isWritable() {
        return channel.isWritable();
    }

    private void notePeak() {
        long held = heldBytes();
        if (held > peakHeldBytes) {
            peakHeldBytes = held;
        }
    }

    private void flushNow() {
        flushScheduled = false;
        answers.flush();
    }

    @Override
    public void channelWritabilityChanged(ChannelHandlerContext ctx) throws Exception {
        startDeferred();
        updateReading();
        super.channelWritabilityChanged(ctx);
    }

    /** Reads while started, not dropped, not too much owed, and the client is taking its answers. */
    private void updateReading() {
        boolean read = !dropped && deferred.isEmpty() && owed < MAX_OWED
                && channel.isWritable();
        if (channel.config().isAutoRead() != read) {
            channel.config().setAutoRead(read);
        }
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) throws Exception {
        if (evt instanceof ChannelInputShutdownEvent) {
            drop();
            return;
        }
        super.userEventTriggered(ctx, evt);
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) throws Exception {
        drop();
        answers.discard(); // answers framed after the last flush, for a client that is gone
        log.info("client disconnected peer={}", failures.peer());
        super.channelInactive(ctx);
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        if (!dropped) {
            failures.failed(cause);
        }
        drop();
    }

    /** Stops reading for good; whoever calls it has logged why (or there is nothing to say: EOF, close). */
    private void drop() {
        if (dropped) {
            return;
        }
        dropped = true;
        channel.config().setAutoRead(false);
        deferred.clear(); // never started, so never answered nor executed
        owed -= dispatcher.discard(this);
        closeIfIdle();
    }

    private void closeIfIdle() {
        if (owed == 0) {
            flushNow();
            channel.close();
        }
    }

    private record Deferred(long id, KvldsRequest request) {
    }
}
