package io.kivaloo.bench.perf;

import io.kivaloo.proto.client.ClientConnection;
import io.kivaloo.proto.wire.Packet;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.socket.ChannelInputShutdownEvent;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.util.function.Consumer;

/**
 * One client of perf (perf/dispatch.c): every request is forwarded upstream
 * with the same record under the upstream connection's next ID, timed from
 * forwarding to completion, and answered under the client's own ID.
 *
 * <ul>
 *   <li>A request that fails upstream is timed too; no response is sent, and
 *       perf stops reading this client.</li>
 *   <li>Client EOF or a bad packet: stop reading; the connection closes once
 *       every outstanding request is answered. Half-closure keeps the socket
 *       open meanwhile, so (as in C) the next client is accepted only then.</li>
 * </ul>
 * Runs on perf's single event loop, which the upstream connection shares.
 */
final class ProxyConnection extends SimpleChannelInboundHandler<Packet> {

    private static final Logger log = LoggerFactory.getLogger(ProxyConnection.class);

    private final ClientConnection upstream;
    private final PerfStatistics statistics;
    private final Consumer<IOException> logFailure;
    private ChannelHandlerContext ctx;
    private boolean reading = true;
    private int outstanding;
    /** A flush is queued on the event loop: responses decoded from one upstream read leave in one write. */
    private boolean flushScheduled;
    private final Runnable flushTask = this::flushNow;

    /**
     * @param logFailure told when the statistics log cannot be written (fatal, as in C)
     */
    ProxyConnection(ClientConnection upstream, PerfStatistics statistics, Consumer<IOException> logFailure) {
        this.upstream = upstream;
        this.statistics = statistics;
        this.logFailure = logFailure;
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        this.ctx = ctx;
    }

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, Packet packet) {
        if (!reading) {
            return; // packets decoded in the same read as the one that stopped us
        }
        long clientId = packet.id();
        int type = RequestTypes.of(packet.record());
        long start = System.nanoTime();
        outstanding++;
        upstream.send(packet.record(), r -> r).whenComplete((response, failure) -> completed(clientId, type, start, response, failure));
    }

    private void completed(long clientId, int type, long start, byte[] response, Throwable failure) {
        double seconds = (System.nanoTime() - start) / 1e9;
        try {
            statistics.add(type, seconds);
        } catch (IOException e) {
            logFailure.accept(e);
        }
        outstanding--;
        if (failure == null && ctx.channel().isActive()) {
            ctx.write(new Packet(clientId, response), ctx.voidPromise());
            if (!flushScheduled) {
                flushScheduled = true;
                ctx.executor().execute(flushTask);
            }
        } else if (failure != null) {
            // The target has failed: nothing useful can be done with more requests.
            stopReading();
        }
        // else: the client has gone; its answers are dropped, as C's writes to a dead socket are.
        closeIfFinished();
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object event) {
        if (event instanceof ChannelInputShutdownEvent) {
            stopReading();
            closeIfFinished();
        }
        ctx.fireUserEventTriggered(event);
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        if (reading) {
            log.warn("client connection failed reason={}", cause.getMessage());
        } else {
            // Writes of answers to a client that has already gone: C ignores these errors.
            log.debug("client connection error after it stopped reason={}", cause.getMessage());
        }
        stopReading();
        closeIfFinished();
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        reading = false;
    }

    private void stopReading() {
        reading = false;
        ctx.channel().config().setAutoRead(false);
    }

    private void flushNow() {
        flushScheduled = false;
        ctx.flush();
    }

    private void closeIfFinished() {
        if (!reading && outstanding == 0) {
            // Queued responses go out before the close (close does not flush by itself).
            ctx.flush();
            ctx.close();
        }
    }
}
