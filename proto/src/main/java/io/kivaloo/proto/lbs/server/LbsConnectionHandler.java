package io.kivaloo.proto.lbs.server;

import io.kivaloo.proto.daemon.PeerFailureLog;
import io.kivaloo.proto.lbs.LbsCodec;
import io.kivaloo.proto.lbs.LbsRequest;
import io.kivaloo.proto.lbs.LbsResponse;
import io.kivaloo.proto.lbs.store.DamagedBlockException;
import io.kivaloo.proto.wire.Packet;
import io.kivaloo.proto.wire.ProtocolException;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.socket.ChannelInputShutdownEvent;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

/**
 * Serves one client connection (lbs.md §2-3): parses each request, answers
 * PARAMS, PARAMS2, FREE and refused APPENDs at once, and hands GETs,
 * APPENDs and FREEs to the {@link LbsBackend}. All state here belongs to the
 * connection's event loop; the backend's results are brought back onto it.
 * Every LBS server (lbs, lbs-s3) uses this one handler, so the protocol's
 * rules (which APPEND is refused, which request closes the connection) exist
 * once.
 *
 * <p>A connection is <em>dead</em> once it is no longer read (EOF, a bad
 * packet, a malformed request, a failed GET) and no answer is owed. Only then
 * is it closed and {@link #drained()} completed, so the next client starts
 * once this one's work is finished, as with the original. A bad request gets
 * no answer and one WARN line; unlike the original, no bad request can wedge
 * the daemon (lbs.md §3).
 */
final class LbsConnectionHandler extends ChannelInboundHandlerAdapter {

    private static final Logger log = LoggerFactory.getLogger(LbsConnectionHandler.class);

    private final LbsBackend backend;
    private final CompletableFuture<Void> previousDrained;
    private final CompletableFuture<Void> drained = new CompletableFuture<>();

    private ChannelHandlerContext ctx;
    private String peer = "?";
    private PeerFailureLog failures = new PeerFailureLog(log, peer);
    /** Requests taken on whose answer (or drop) is still to come. */
    private int owed;
    /** False once the connection is no longer read; then it closes when nothing is owed. */
    private boolean reading = true;
    /** Whether queued GETs are still wanted; read by reader threads. */
    private volatile boolean wantsReads = true;
    private boolean appendInFlight;
    private boolean flushScheduled;

    /** @param previousDrained completes when the previous connection's work is done; this one waits for it */
    LbsConnectionHandler(LbsBackend backend, CompletableFuture<Void> previousDrained) {
        this.backend = backend;
        this.previousDrained = previousDrained;
    }

    /** Completes when the connection is dead and closed, with nothing in flight. */
    CompletableFuture<Void> drained() {
        return drained;
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        this.ctx = ctx;
        this.peer = PeerFailureLog.peerName(ctx.channel());
        this.failures = new PeerFailureLog(log, peer);
        log.info("connection accepted peer={}", peer);
        // The channel starts with auto-read off: an APPEND from a client that vanished may still be running.
        previousDrained.whenComplete((v, e) -> ctx.executor().execute(() -> {
            if (reading && ctx.channel().isActive()) {
                ctx.channel().config().setAutoRead(true);
            }
        }));
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        Packet packet = (Packet) msg;
        if (!reading) {
            return;
        }
        LbsRequest request;
        try {
            request = LbsCodec.decodeRequest(packet.record());
        } catch (ProtocolException e) {
            misbehaved(e.getMessage());
            return;
        }
        long id = packet.id();
        switch (request.type()) {
            case LbsRequest.PARAMS:
            case LbsRequest.PARAMS2:
                params(id, request.type());
                break;
            case LbsRequest.GET:
                get(id, ((LbsRequest.Get) request).block());
                break;
            case LbsRequest.APPEND:
                append(id, (LbsRequest.Append) request);
                break;
            case LbsRequest.FREE:
                respond(id, LbsResponse.Free.OK); // at once: FREE is advisory (lbs.md §2.5)
                backend.free(((LbsRequest.Free) request).block());
                break;
            default:
                throw new IllegalStateException("LbsCodec returned an unknown request type " + request.type());
        }
    }

    private void params(long id, int type) {
        if (appendInFlight) {
            // The answer would depend on the APPEND's outcome; no client does this (the original wedged here).
            misbehaved("PARAMS while an APPEND is in progress");
            return;
        }
        long next = backend.nextBlock();
        respond(id, type == LbsRequest.PARAMS ? new LbsResponse.Params(backend.blockSize(), next)
                : LbsResponse.Params2.of(backend.blockSize(), next));
    }

    private void get(long id, long block) {
        owed++;
        backend.read(block, () -> wantsReads)
                .whenComplete((data, error) -> ctx.executor().execute(() -> getDone(id, block, data, error)));
    }

    private void getDone(long id, long block, byte[] data, Throwable error) {
        owed--;
        if (error != null) {
            Throwable cause = error instanceof CompletionException && error.getCause() != null ? error.getCause() : error;
            // Never "absent" for damage: kvlds would take it as a lost page. Closing makes the failure loud.
            if (cause instanceof DamagedBlockException) {
                log.error("GET of a damaged block, closing the connection peer={} {}", peer, cause.getMessage());
            } else {
                log.error("GET failed, closing the connection peer={} block={}", peer, Long.toUnsignedString(block), cause);
            }
            stopReading();
        } else if (data != LbsBackend.DROPPED) {
            respond(id, data == null ? LbsResponse.Get.ABSENT : new LbsResponse.Get(data));
        }
        closeIfDead();
    }

    private void append(long id, LbsRequest.Append append) {
        if (append.blockLength() != backend.blockSize()) {
            misbehaved("APPEND block length " + append.blockLength() + " (expected: " + backend.blockSize() + ")");
            return;
        }
        long first = append.block();
        long end = first + append.count();
        // Refused, store unchanged (lbs.md §2.4): another APPEND is running, the client has the wrong
        // next block, or the blocks would run past 2^64-1.
        if (appendInFlight || first != backend.nextBlock() || Long.compareUnsigned(end, first) <= 0) {
            respond(id, LbsResponse.Append.REFUSED);
            return;
        }
        appendInFlight = true;
        owed++;
        backend.append(first, append.data(), append.count())
                .whenComplete((next, error) -> ctx.executor().execute(() -> appendDone(id, next, error)));
    }

    private void appendDone(long id, Long next, Throwable error) {
        appendInFlight = false;
        owed--;
        if (error != null) {
            // Fail-stop: the store logged the cause and the server is stopping; acknowledge nothing.
            stopReading();
        } else {
            respond(id, new LbsResponse.Append(true, next));
        }
        closeIfDead();
    }

    private void respond(long id, LbsResponse response) {
        ctx.write(new Packet(id, LbsCodec.encodeResponse(response)));
        if (!flushScheduled) {
            // One flush for all answers ready in this turn of the event loop.
            flushScheduled = true;
            ctx.executor().execute(() -> {
                flushScheduled = false;
                ctx.flush();
            });
        }
    }

    private void misbehaved(String reason) {
        failures.protocolViolation(reason);
        stopReading();
        closeIfDead();
    }

    private void stopReading() {
        reading = false;
        wantsReads = false; // queued GETs nobody has started are dropped, as the original does
        ctx.channel().config().setAutoRead(false);
    }

    private void closeIfDead() {
        if (!reading && owed == 0 && !drained.isDone()) {
            ctx.flush();
            ctx.close();
            drained.complete(null);
            log.info("connection closed peer={}", peer);
        }
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object event) {
        if (event instanceof ChannelInputShutdownEvent) {
            log.debug("end of input peer={}", peer);
            stopReading();
            closeIfDead();
        } else {
            ctx.fireUserEventTriggered(event);
        }
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        failures.failed(cause);
        stopReading();
        closeIfDead();
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        reading = false;
        wantsReads = false;
        closeIfDead();
    }
}
