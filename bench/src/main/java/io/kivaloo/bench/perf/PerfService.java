package io.kivaloo.bench.perf;

import io.kivaloo.proto.client.ClientConnection;
import io.kivaloo.proto.daemon.AcceptLimiter;
import io.kivaloo.proto.daemon.DaemonService;
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
import io.netty.channel.EventLoop;
import io.netty.channel.EventLoopGroup;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The running perf daemon: one listener serving one client at a time, one
 * upstream connection, the statistics and their log, all on one event-loop
 * thread (the C perf is a single-threaded event loop too, so nothing here
 * needs a lock).
 *
 * <p>Start-up order as in perf/main.c: bind the source, connect the target,
 * open the log. Timers: statistics check every 0.5 s, log rotation check
 * every 1 s. With {@code -1} the service ends after the first client, having
 * written a final statistics line.
 */
public final class PerfService implements DaemonService {

    private static final Logger log = LoggerFactory.getLogger(PerfService.class);

    private static final long CONNECT_TIMEOUT_SECONDS = 30;
    /** The original's listen backlog. */
    private static final int BACKLOG = 10;
    private static final long POKE_INTERVAL_MILLIS = 500;
    private static final long ROTATION_INTERVAL_MILLIS = 1000;

    private final EventLoopGroup group;
    private final EventLoop loop;
    private final Listener listener;
    private final ClientConnection upstream;
    private final StatisticsLog statisticsLog;
    private final PerfStatistics statistics;
    private final CompletableFuture<Void> done = new CompletableFuture<>();
    private boolean closed;

    private PerfService(EventLoopGroup group, Listener listener, ClientConnection upstream,
                        StatisticsLog statisticsLog, PerfStatistics statistics) {
        this.group = group;
        this.loop = group.next();
        this.listener = listener;
        this.upstream = upstream;
        this.statisticsLog = statisticsLog;
        this.statistics = statistics;
    }

    /**
     * @param periodSeconds the -w option
     * @param single        the -1 option
     */
    public static PerfService start(KivalooAddress target, KivalooAddress source, Path logFile, long periodSeconds,
                                    boolean single, Clock clock) throws StartupException {
        Transport transport = Transport.best();
        EventLoopGroup group = transport.newEventLoopGroup(1, "perf");
        AcceptLimiter limiter = new AcceptLimiter(1, single);
        PerfService[] service = new PerfService[1];
        ChannelInitializer<Channel> clients = new ChannelInitializer<>() {
            @Override
            protected void initChannel(Channel ch) {
                ch.config().setOption(ChannelOption.ALLOW_HALF_CLOSURE, true);
                ch.pipeline().addLast("frameDecoder", new FrameDecoder(WireFormat.DEFAULT_MAX_RECORD_LENGTH));
                ch.pipeline().addLast("frameEncoder", new FrameEncoder());
                ch.pipeline().addLast("proxy", service[0].newProxy());
            }
        };
        Listener listener = null;
        ClientConnection upstream = null;
        try {
            listener = Listener.bind(source, transport, group, group, clients, limiter, false, BACKLOG);
            upstream = connect(target, group, transport);
            StatisticsLog statisticsLog;
            try {
                statisticsLog = StatisticsLog.open(logFile, clock);
            } catch (IOException e) {
                throw new StartupException("cannot open log file " + logFile + ": " + e.getMessage(), e);
            }
            PerfStatistics statistics = new PerfStatistics(clock, periodSeconds, statisticsLog::write);
            service[0] = new PerfService(group, listener, upstream, statisticsLog, statistics);
        } catch (StartupException | RuntimeException e) {
            if (upstream != null) {
                upstream.close();
            }
            if (listener != null) {
                listener.close();
            }
            group.shutdownGracefully(0, 0, TimeUnit.SECONDS);
            throw e;
        }
        PerfService started = service[0];
        started.startTimers();
        if (single) {
            limiter.firstConnectionDone().whenComplete((v, e) -> started.loop.execute(started::finishSingle));
        }
        log.info("proxying source={} target={} log={} period={}", source.text(), target.text(), logFile, periodSeconds);
        return started;
    }

    private static ClientConnection connect(KivalooAddress target, EventLoopGroup group, Transport transport) throws StartupException {
        try {
            return ClientConnection.connect(target, group, transport, WireFormat.DEFAULT_MAX_RECORD_LENGTH)
                    .get(CONNECT_TIMEOUT_SECONDS, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            throw new StartupException(String.valueOf(e.getCause().getMessage()), e.getCause());
        } catch (TimeoutException e) {
            throw new StartupException("cannot connect to " + target.text() + ": timed out", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new StartupException("interrupted while connecting to " + target.text(), e);
        }
    }

    private ProxyConnection newProxy() {
        return new ProxyConnection(upstream, statistics, this::logFailed);
    }

    private void startTimers() {
        loop.scheduleAtFixedRate(() -> {
            try {
                statistics.poke();
            } catch (IOException e) {
                logFailed(e);
            }
        }, POKE_INTERVAL_MILLIS, POKE_INTERVAL_MILLIS, TimeUnit.MILLISECONDS);
        loop.scheduleAtFixedRate(() -> {
            try {
                statisticsLog.checkRotation();
            } catch (IOException e) {
                logFailed(e);
            }
        }, ROTATION_INTERVAL_MILLIS, ROTATION_INTERVAL_MILLIS, TimeUnit.MILLISECONDS);
    }

    /** -1: the first client is finished; write the final line and end. */
    private void finishSingle() {
        try {
            statistics.flush();
            done.complete(null);
        } catch (IOException e) {
            logFailed(e);
        }
    }

    /** The statistics cannot be written: fatal, as in C (perfstats_add fails, the event loop exits 1). */
    private void logFailed(IOException e) {
        log.error("cannot write statistics log", e);
        done.completeExceptionally(new IOException("cannot write statistics log: " + e.getMessage(), e));
    }

    @Override
    public CompletableFuture<Void> done() {
        return done;
    }

    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        listener.close();
        upstream.close();
        upstream.closeFuture().orTimeout(CONNECT_TIMEOUT_SECONDS, TimeUnit.SECONDS).exceptionally(e -> null).join();
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
        try {
            statisticsLog.close();
        } catch (IOException e) {
            log.warn("cannot close statistics log reason={}", e.getMessage());
        }
    }
}
