package io.kivaloo.mux;

import io.kivaloo.proto.wire.CoalescingFrameWriter;
import io.kivaloo.proto.client.Connector;
import io.kivaloo.proto.kvlds.KvldsCodec;
import io.kivaloo.proto.kvlds.KvldsRequest;
import io.kivaloo.proto.kvlds.KvldsResponse;
import io.kivaloo.proto.net.KivalooAddress;
import io.kivaloo.proto.net.Transport;
import io.kivaloo.proto.wire.FrameDecoder;
import io.kivaloo.proto.wire.ProtocolException;
import io.kivaloo.proto.wire.WireFormat;
import io.netty.channel.AdaptiveRecvByteBufAllocator;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoop;
import io.netty.channel.RecvByteBufAllocator;
import io.netty.channel.WriteBufferWaterMark;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * The one connection to the target (DESIGN.md "Upstream"): forwards requests
 * under upstream IDs from the {@link RequestTable}, routes each response back
 * to its client under the client's ID, and survives the connection's loss.
 *
 * <p>Life cycle: connect; in KVLDS mode send PARAMS under an upstream ID of
 * its own and learn the key and value limits; then <em>ready</em>, and
 * clients' requests flow. On loss (EOF, error, bad packet, a response with an
 * unknown ID, a malformed PARAMS answer) every route is released and the
 * clients that had requests in flight are closed, since those requests'
 * outcome is unknown; the others stay connected, their new requests held
 * (their reading paused) until a new connection is ready. Reconnection
 * follows {@link Backoff}. Only the first connection, at start-up, is
 * allowed to fail for good. Event loop only.
 *
 * <p>Requests and responses travel as whole frames, as received and
 * checked (proto's {@link FrameDecoder#wholeFrames}): each leaves under its
 * new ID with only its header and trailer rewritten, never decoded or
 * framed again (DESIGN.md "Forwarding without re-encoding").
 */
final class UpstreamLink {

    private static final Logger log = LoggerFactory.getLogger(UpstreamLink.class);

    /**
     * Upstream write buffer marks, in bytes: above the high mark clients stop
     * being read until it drains below the low one. Wide apart so that
     * thousands of clients are not paused and resumed on every write.
     */
    private static final WriteBufferWaterMark WATER_MARK = new WriteBufferWaterMark(256 * 1024, 1024 * 1024);
    /**
     * Responses come in bursts (a group commit answers every SET it held at
     * once): reads start at 16 KiB and never guess below 4 KiB, where Netty's
     * default would shrink to 64 bytes between bursts and then take several
     * reads for the next.
     */
    private static final RecvByteBufAllocator READS = new AdaptiveRecvByteBufAllocator(4096, 16384, 65536);

    private final KivalooAddress target;
    private final Transport transport;
    private final EventLoop loop;
    private final RequestCheck check;
    private final RequestTable table;
    private final FlushBatcher flusher;
    private final Backoff backoff;
    private final MuxMetrics metrics;
    /** Clients paused for an upstream reason, to be resumed when it is gone. */
    private final Set<ClientSession> waiting = new LinkedHashSet<>();
    private final CompletableFuture<Void> firstReady = new CompletableFuture<>();
    /** The connection, null while there is none. */
    private Channel channel;
    /** Requests framed for {@link #channel}; replaced with each connection. */
    private CoalescingFrameWriter requests;
    /** Connected and, in KVLDS mode, the target's limits known: requests may be forwarded. */
    private boolean ready;
    private boolean closed;
    /** Connections that became ready, for logs and tests. */
    private long connections;
    /** Completes at the next loss of the connection; replaced each time (tests wait on it). */
    private CompletableFuture<Void> nextLoss = new CompletableFuture<>();

    UpstreamLink(KivalooAddress target, Transport transport, EventLoop loop, RequestCheck check, RequestTable table,
                 FlushBatcher flusher, Backoff backoff, MuxMetrics metrics) {
        this.target = target;
        this.metrics = metrics;
        this.transport = transport;
        this.loop = loop;
        this.check = check;
        this.table = table;
        this.flusher = flusher;
        this.backoff = backoff;
    }

    /** Opens the first connection; completes when it is ready, fails if it cannot be made. */
    CompletableFuture<Void> start() {
        loop.execute(this::connect);
        return firstReady;
    }

    private void connect() {
        if (closed) {
            return;
        }
        ChannelInitializer<Channel> initializer = new ChannelInitializer<>() {
            @Override
            protected void initChannel(Channel ch) {
                ch.config().setWriteBufferWaterMark(WATER_MARK);
                ch.config().setRecvByteBufAllocator(READS);
                // The target is trusted to frame sanely; the cap only guards against a broken one. Its CRCs are
                // still checked: a corrupt answer passed on with a fixed-up trailer would look valid to the client.
                ch.pipeline().addLast("frameDecoder", FrameDecoder.wholeFrames(WireFormat.DEFAULT_MAX_RECORD_LENGTH));
                ch.pipeline().addLast("responses", new ResponseHandler());
            }
        };
        Connector.connect(target, loop, transport, initializer).whenComplete((ch, e) -> {
            if (loop.inEventLoop()) {
                connected(ch, e);
            } else {
                loop.execute(() -> connected(ch, e));
            }
        });
    }

    private void connected(Channel ch, Throwable failure) {
        if (failure == null && !ch.isActive()) {
            failure = new IOException("connection to " + target.text() + " closed at once");
        }
        if (failure != null) {
            if (!firstReady.isDone()) {
                firstReady.completeExceptionally(failure);
            } else {
                scheduleReconnect(failure.getMessage());
            }
            return;
        }
        if (closed) {
            ch.close();
            return;
        }
        channel = ch;
        requests = new CoalescingFrameWriter(ch);
        if (check.isKvlds()) {
            long id = table.add(null, 0, 0);
            requests.write(id, KvldsCodec.encodeRequest(new KvldsRequest.Params()));
            requests.flush();
        } else {
            becomeReady();
        }
    }

    private void becomeReady() {
        ready = true;
        connections++;
        metrics.targetReady(connections);
        backoff.reset();
        log.info("connected to target addr={} connection={} kmax={} vmax={}", target.text(), connections,
                Integer.toUnsignedString(check.limits().maxKeyLength()),
                Integer.toUnsignedString(check.limits().maxValueLength()));
        firstReady.complete(null);
        resumeWaiting();
    }

    /** True while requests can be forwarded. */
    boolean canForward() {
        return ready;
    }

    /** True while the upstream write buffer is below its high-water mark. */
    boolean isWritable() {
        return channel != null && channel.isWritable();
    }

    /**
     * Sends {@code frame}, a client's request as received, upstream under a
     * new ID; only while {@link #canForward()}.
     */
    void forward(ClientSession session, byte[] frame, long charge) {
        long id = table.add(session, WireFormat.frameId(frame), charge);
        requests.writeReaddressed(id, frame);
        flusher.flushLater(requests);
    }

    /** Calls {@code session.resume()} once requests can flow again. */
    void resumeLater(ClientSession session) {
        waiting.add(session);
    }

    /** {@code session} has closed: nothing to resume. */
    void forget(ClientSession session) {
        waiting.remove(session);
    }

    private void resumeWaiting() {
        List<ClientSession> sessions = new ArrayList<>(waiting);
        waiting.clear();
        for (ClientSession session : sessions) {
            session.resume();
        }
    }

    /** Requests read from clients and waiting for the target, of the sessions waiting to resume. */
    int requestsHeld() {
        int held = 0;
        for (ClientSession session : waiting) {
            held += session.held();
        }
        return held;
    }

    /** Requests forwarded and not yet answered, mux's own PARAMS included. */
    int requestsInFlight() {
        return table.size();
    }

    /** Connections to the target that became ready so far. */
    long connections() {
        return connections;
    }

    /** Completes when the current connection (or the next one) is lost. */
    CompletableFuture<Void> nextLoss() {
        return nextLoss;
    }

    /** Closes the connection for good: no reconnection. */
    void close() {
        closed = true;
        if (channel != null) {
            channel.close();
        }
    }

    private void fail(String reason) {
        log.warn("dropping target connection addr={} reason={}", target.text(), reason);
        channel.close();
    }

    private void lost() {
        boolean wasReady = ready;
        channel = null;
        if (requests != null) {
            requests.discard(); // framed for a connection that is gone; their routes fail below
            requests = null;
        }
        ready = false;
        metrics.targetLost();
        CompletableFuture<Void> lossSignal = nextLoss;
        nextLoss = new CompletableFuture<>();
        lossSignal.complete(null);
        int failed = 0;
        for (RequestTable.Route route : table.removeAll()) {
            if (route.session() != null) {
                failed++;
                route.session().upstreamLost(route.charge());
            }
        }
        if (!firstReady.isDone()) {
            firstReady.completeExceptionally(new IOException("target " + target.text() + " closed the connection before answering PARAMS"));
            return;
        }
        if (closed) {
            return;
        }
        log.warn("target connection lost addr={} wasReady={} requestsFailed={}", target.text(), wasReady, failed);
        scheduleReconnect("connection lost");
    }

    private void scheduleReconnect(String reason) {
        if (closed) {
            return;
        }
        long delay = backoff.nextDelayMillis();
        log.info("reconnecting to target addr={} inMillis={} reason={}", target.text(), delay, reason);
        loop.schedule(this::connect, delay, TimeUnit.MILLISECONDS);
    }

    /** The last handler of the upstream pipeline. */
    private final class ResponseHandler extends ChannelInboundHandlerAdapter {

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            if (ctx.channel() != channel) {
                return;
            }
            byte[] frame = (byte[]) msg;
            long id = WireFormat.frameId(frame);
            RequestTable.Route route = table.remove(id);
            if (route == null) {
                fail("response with unknown ID " + Long.toUnsignedString(id));
            } else if (route.session() == null) {
                learnParams(Arrays.copyOfRange(frame, WireFormat.HEADER_LENGTH, frame.length - WireFormat.TRAILER_LENGTH));
            } else {
                route.session().deliver(route.clientId(), frame, route.charge());
            }
        }

        private void learnParams(byte[] record) {
            try {
                check.learn((KvldsResponse.Params) KvldsCodec.decodeResponse(new KvldsRequest.Params(), record));
            } catch (ProtocolException e) {
                fail("bad PARAMS answer: " + e.getMessage() + " (is the target a kvlds? else use --forward-any)");
                return;
            }
            becomeReady();
        }

        @Override
        public void channelWritabilityChanged(ChannelHandlerContext ctx) {
            if (ctx.channel() == channel && ctx.channel().isWritable()) {
                resumeWaiting();
            }
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            if (ctx.channel() == channel) {
                fail(cause.getMessage());
            } else {
                ctx.close();
            }
        }

        @Override
        public void channelInactive(ChannelHandlerContext ctx) {
            if (ctx.channel() == channel) {
                lost();
            }
        }
    }
}
