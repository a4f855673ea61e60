package io.kivaloo.kvlds.server;

import io.kivaloo.proto.kvlds.Key;
import io.kivaloo.proto.kvlds.KvldsCodec;
import io.kivaloo.proto.kvlds.KvldsRequest;
import io.kivaloo.proto.kvlds.KvldsResponse;
import io.kivaloo.proto.wire.CoalescingFrameWriter;
import io.kivaloo.proto.wire.Packet;
import io.kivaloo.proto.wire.ProtocolException;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.socket.ChannelInputShutdownEvent;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One client connection (kvlds.md §2, §7): parses requests, checks the
 * key/value limits, hands them to the {@link Dispatcher}, and writes the
 * answers back.
 *
 * <p>Flow control: at most {@value #MAX_OWED} requests owed; at that point
 * (or while the socket's write buffer is full) it stops reading and resumes
 * as answers go out.
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

    private static final Logger log = LoggerFactory.getLogger(KvldsConnection.class);

    private final Supplier<Dispatcher> dispatcher;
    private final Supplier<KvldsLimits> limits;
    private final Runnable flushTask = this::flushNow;
    private CoalescingFrameWriter answers;
    private Channel channel;
    private int owed;
    private boolean dropped;
    private boolean flushScheduled;

    /** The suppliers yield null until start-up has finished; the connection waits, unread, until then. */
    KvldsConnection(Supplier<Dispatcher> dispatcher, Supplier<KvldsLimits> limits) {
        this.dispatcher = dispatcher;
        this.limits = limits;
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) throws Exception {
        channel = ctx.channel();
        answers = new CoalescingFrameWriter(channel);
        log.info("client connected remote={}", channel.remoteAddress());
        updateReading();
        super.channelActive(ctx);
    }

    /** Start-up has finished: start reading if a client came early. */
    void started() {
        updateReading();
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
            drop("malformed request: " + e.getMessage());
            return;
        }
        Dispatcher d = dispatcher.get();
        long id = packet.id();
        switch (request.type()) {
            case KvldsRequest.PARAMS:
                owed++;
                KvldsLimits l = limits.get();
                respond(id, new KvldsResponse.Params(l.maxKeyLength(), l.maxValueLength()));
                break;
            case KvldsRequest.GET:
                owed++;
                d.get(this, id, ((KvldsRequest.Get) request).key());
                break;
            case KvldsRequest.RANGE:
                owed++;
                d.range(this, id, (KvldsRequest.Range) request);
                break;
            default:
                KvldsRequest.Modifying m = (KvldsRequest.Modifying) request;
                if (!withinLimits(m)) {
                    return;
                }
                owed++;
                d.modify(this, id, m);
                break;
        }
        updateReading();
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
        KvldsLimits l = limits.get();
        if (m.key().length() > l.maxKeyLength() || value.length() > l.maxValueLength()) {
            drop("key or value too long: key=" + m.key().length() + " value=" + value.length() + " (expected: <= "
                    + l.maxKeyLength() + ", <= " + l.maxValueLength() + ")");
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
        if (dropped) {
            closeIfIdle();
        } else if (owed == MAX_OWED - 1) {
            updateReading();
        }
    }

    private void flushNow() {
        flushScheduled = false;
        answers.flush();
    }

    @Override
    public void channelWritabilityChanged(ChannelHandlerContext ctx) throws Exception {
        updateReading();
        super.channelWritabilityChanged(ctx);
    }

    /** Reads while started, not dropped, not too much owed, and the client is taking its answers. */
    private void updateReading() {
        boolean read = !dropped && dispatcher.get() != null && owed < MAX_OWED && channel.isWritable();
        if (channel.config().isAutoRead() != read) {
            channel.config().setAutoRead(read);
        }
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) throws Exception {
        if (evt instanceof ChannelInputShutdownEvent) {
            drop("end of input");
            return;
        }
        super.userEventTriggered(ctx, evt);
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) throws Exception {
        if (!dropped) {
            drop("connection closed");
        }
        answers.discard(); // answers framed after the last flush, for a client that is gone
        log.info("client disconnected remote={}", channel.remoteAddress());
        super.channelInactive(ctx);
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        drop(cause instanceof ProtocolException ? "bad packet: " + cause.getMessage() : "connection error: " + cause.getMessage());
    }

    private void drop(String reason) {
        if (dropped) {
            return;
        }
        dropped = true;
        if (!reason.equals("end of input") && !reason.equals("connection closed")) {
            log.warn("dropping client connection remote={} reason={}", channel.remoteAddress(), reason);
        }
        channel.config().setAutoRead(false);
        Dispatcher d = dispatcher.get();
        if (d != null) {
            owed -= d.discard(this);
        }
        closeIfIdle();
    }

    private void closeIfIdle() {
        if (owed == 0) {
            flushNow();
            channel.close();
        }
    }
}
