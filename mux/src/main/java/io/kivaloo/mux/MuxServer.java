package io.kivaloo.mux;

import io.kivaloo.proto.daemon.AcceptLimiter;
import io.kivaloo.proto.daemon.DaemonService;
import io.kivaloo.proto.metrics.DaemonMetrics;
import io.kivaloo.proto.metrics.Health;
import io.kivaloo.proto.daemon.Listener;
import io.kivaloo.proto.daemon.StartupException;
import io.kivaloo.proto.net.KivalooAddress;
import io.kivaloo.proto.net.Transport;
import io.kivaloo.proto.wire.FrameDecoder;
import io.netty.buffer.ByteBuf;
import io.netty.channel.AdaptiveRecvByteBufAllocator;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.ChannelOutboundBuffer;
import io.netty.channel.EventLoop;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.RecvByteBufAllocator;
import io.netty.channel.group.ChannelGroup;
import io.netty.channel.group.DefaultChannelGroup;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * A running mux: wires the listeners, the client sessions and the upstream
 * link onto one event-loop thread, so that the ID map and every session's
 * state are touched by that thread only (DESIGN.md "Threads").
 *
 * <p>Start-up order as the C mux (mux.md §1.4): connect to the target (and
 * learn its limits), then listen on every source address. Either failing is
 * a {@link StartupException}, i.e. exit status 1.
 */
public final class MuxServer implements DaemonService {

    private static final Logger log = LoggerFactory.getLogger(MuxServer.class);
    /**
     * A client's read never guesses below 1 KiB, which holds any one KVLDS
     * request: Netty's default shrinks to 64 bytes after a few GETs, and the
     * next SET then takes two reads.
     */
    /** How often requests in flight and held are sampled for metrics. */
    private static final long SAMPLE_PERIOD_MILLIS = 1000;
    private static final RecvByteBufAllocator CLIENT_READS = new AdaptiveRecvByteBufAllocator(1024, 2048, 65536);

    private final EventLoopGroup group;
    private final EventLoop loop;
    private final UpstreamLink upstream;
    private final MuxMetrics metrics;
    private final AnswerBudget budget;
    private final AcceptLimiter limiter;
    /** The open client channels, for {@link #queuedClientBytes()}: a measure that does not trust the budget. */
    private final ChannelGroup clientChannels;
    private final List<Listener> listeners = new ArrayList<>();
    private final CompletableFuture<Void> done = new CompletableFuture<>();
    private boolean closed;

    private MuxServer(EventLoopGroup group, UpstreamLink upstream, AnswerBudget budget, AcceptLimiter limiter,
                      MuxMetrics metrics) {
        this.group = group;
        this.metrics = metrics;
        this.loop = group.next();
        this.upstream = upstream;
        this.budget = budget;
        this.limiter = limiter;
        this.clientChannels = new DefaultChannelGroup("mux clients", loop);
    }

    /** Connects to the target and listens on every source address. */
    public static MuxServer start(MuxConfig config) throws StartupException {
        return start(config, Transport.best());
    }

    public static MuxServer start(MuxConfig config, Transport transport) throws StartupException {
        return start(config, transport, new DaemonMetrics("mux"));
    }

    /** As {@link #start(MuxConfig)}, counting into {@code daemonMetrics}. */
    public static MuxServer start(MuxConfig config, DaemonMetrics daemonMetrics) throws StartupException {
        return start(config, Transport.best(), daemonMetrics);
    }

    private static MuxServer start(MuxConfig config, Transport transport, DaemonMetrics daemonMetrics) throws StartupException {
        MuxMetrics metrics = new MuxMetrics(daemonMetrics);
        EventLoopGroup group = transport.newEventLoopGroup(1, "mux");
        EventLoop loop = group.next();
        RequestCheck check = config.forwardAny() ? RequestCheck.forwardAny(config.maxRequestLength()) : RequestCheck.kvlds();
        FlushBatcher flusher = new FlushBatcher(loop);
        UpstreamLink upstream = new UpstreamLink(config.target(), transport, loop, check, new RequestTable(), flusher,
                new Backoff(config.backoffInitialMillis(), config.backoffMaxMillis()), metrics);
        AnswerBudget budget = new AnswerBudget(config.maxClientBytes(), config.maxTotalBytes(),
                config.stalledClientMillis(), loop);
        MuxServer server = new MuxServer(group, upstream, budget, new AcceptLimiter(config.maxConnections(), false),
                metrics);
        try {
            server.connectTarget(config);
            ChannelInitializer<Channel> clients = new ChannelInitializer<>() {
                private long accepted;

                @Override
                protected void initChannel(Channel ch) {
                    // A client that half-closes still gets its answers (mux.md §1.3).
                    ch.config().setOption(ChannelOption.ALLOW_HALF_CLOSURE, true);
                    ch.config().setRecvByteBufAllocator(CLIENT_READS);
                    // Whole frames: forwarded under mux's IDs without framing the record again. Answers leave
                    // framed already (proto's CoalescingFrameWriter), so the pipeline needs no encoder.
                    ch.pipeline().addLast("frameDecoder", FrameDecoder.wholeFrames(check.maxRecordLength()));
                    server.clientChannels.add(ch);
                    ch.pipeline().addLast("session", new ClientSession(++accepted, upstream, check, flusher, budget,
                            config.maxInFlight(), metrics));
                }
            };
            for (KivalooAddress source : config.sources()) {
                server.listeners.add(Listener.bind(source, transport, group, group, clients, server.limiter, true, config.backlog()));
            }
        } catch (StartupException | RuntimeException e) {
            server.close();
            throw e;
        }
        loop.scheduleAtFixedRate(() -> metrics.sample(upstream.requestsInFlight(), upstream.requestsHeld()),
                SAMPLE_PERIOD_MILLIS, SAMPLE_PERIOD_MILLIS, TimeUnit.MILLISECONDS);
        log.info("mux started target={} sources={} maxConnections={} validation={} maxClientBytes={} maxTotalBytes={}",
                config.target().text(), config.sources().size(), config.maxConnections(),
                config.forwardAny() ? "none" : "kvlds", config.maxClientBytes(), config.maxTotalBytes());
        return server;
    }

    private void connectTarget(MuxConfig config) throws StartupException {
        String target = config.target().text();
        try {
            upstream.start().get(config.startupTimeoutMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            throw new StartupException("cannot connect to target " + target + ": " + e.getCause().getMessage(), e.getCause());
        } catch (TimeoutException e) {
            throw new StartupException("target " + target + " did not answer PARAMS within "
                    + config.startupTimeoutMillis() + " ms (is it a kvlds? else use --forward-any)", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new StartupException("interrupted while connecting to target " + target, e);
        }
    }

    /** 503 while the target connection is down (mux holds or refuses requests then). */
    @Override
    public Health health() {
        return metrics.targetUp() ? Health.SERVING : Health.notServing("target down");
    }

    /** Never completes by itself: a lost target is reconnected, not fatal. */
    @Override
    public CompletableFuture<Void> done() {
        return done;
    }

    /** Requests read from clients that wait for the target to come back. */
    public int requestsHeld() {
        return onLoop(upstream::requestsHeld);
    }

    /** Requests forwarded upstream and not yet answered or failed (mux's own PARAMS included). */
    public int requestsInFlight() {
        return onLoop(upstream::requestsInFlight);
    }

    /**
     * Bytes charged to all clients now (DESIGN.md "Memory bounds"): what
     * their requests in flight may bring, plus their answers that have not
     * left for the sockets.
     */
    public long answerBytes() {
        return onLoop(budget::total);
    }

    /** The most {@link #answerBytes()} has been since start-up. */
    public long peakAnswerBytes() {
        return onLoop(budget::peakTotal);
    }

    /** Clients whose next request waits for room in the total bound. */
    public int clientsWaitingForRoom() {
        return onLoop(budget::waitingCount);
    }

    /**
     * Memory the client channels' queues take now: each queued buffer's
     * capacity (not only its bytes: a mostly empty or mostly written buffer
     * takes all of it) plus Netty's bookkeeping estimate per entry. What the
     * budget's bound is about, measured independently of it, for tests and
     * diagnostics.
     */
    public long queuedClientBytes() {
        return onLoop(() -> {
            long queued = 0;
            for (Channel ch : clientChannels) {
                ChannelOutboundBuffer outbound = ch.unsafe().outboundBuffer();
                if (outbound != null) {
                    queued += outbound.size() * ClientSession.ENTRY_BYTES + queuedCapacity(outbound);
                }
            }
            return queued;
        });
    }

    private static long queuedCapacity(ChannelOutboundBuffer outbound) {
        long[] capacity = {0};
        try {
            outbound.forEachFlushedMessage(msg -> {
                capacity[0] += msg instanceof ByteBuf ? ((ByteBuf) msg).capacity() : 0;
                return true;
            });
        } catch (Exception e) {
            throw new IllegalStateException("cannot measure a client queue", e); // the processor above throws nothing
        }
        return capacity[0];
    }

    /** Connections to the target that became ready so far (1 after start-up). */
    public long targetConnections() {
        return onLoop(upstream::connections);
    }

    /** Completes when mux has noticed the loss of its current target connection (for tests). */
    CompletableFuture<Void> nextTargetLoss() {
        return onLoop(upstream::nextLoss);
    }

    /** Client connections admitted and not yet closed. */
    public int openConnections() {
        return limiter.openConnections();
    }

    /** The listening channels, for tests that need the bound port. */
    public List<Listener> listeners() {
        return List.copyOf(listeners);
    }

    private <T> T onLoop(Callable<T> query) {
        try {
            return loop.submit(query).get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        } catch (ExecutionException e) {
            throw new IllegalStateException(e.getCause());
        }
    }

    /** Stops listening, drops every client and the target connection, and stops the thread. */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        for (Listener listener : listeners) {
            listener.close();
        }
        limiter.closeHeld();
        if (!group.isShuttingDown()) {
            loop.execute(upstream::close);
        }
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS).awaitUninterruptibly();
        done.complete(null);
    }
}
