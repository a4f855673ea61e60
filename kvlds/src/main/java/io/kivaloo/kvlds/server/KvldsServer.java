package io.kivaloo.kvlds.server;

import io.kivaloo.kvlds.btree.BTree;
import io.kivaloo.kvlds.btree.RootRecovery;
import io.kivaloo.kvlds.cleaner.Cleaner;
import io.kivaloo.kvlds.store.LbsPageStore;
import io.kivaloo.proto.client.LbsClient;
import io.kivaloo.proto.daemon.AcceptLimiter;
import io.kivaloo.proto.daemon.DaemonService;
import io.kivaloo.proto.daemon.Listener;
import io.kivaloo.proto.daemon.StartupException;
import io.kivaloo.proto.metrics.DaemonMetrics;
import io.kivaloo.proto.metrics.Health;
import io.kivaloo.proto.lbs.LbsResponse;
import io.kivaloo.proto.net.Transport;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoop;
import io.netty.channel.EventLoopGroup;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The kvlds daemon, wired together (kvlds.md §8): listen, connect to lbs,
 * PARAMS2, check the limits, recover the root, then serve one client at a
 * time; every second send FREE and let the cleaner do its accounting, and
 * every minute log a status line (live pages, log span, oldest live block,
 * cleaning rate and debt).
 *
 * <p>Threading: one event loop thread does everything: it accepts, serves the
 * client connection and owns the lbs connection, so page-ins and APPEND
 * acknowledgements arrive on the thread that owns the tree, with no
 * hand-off and no locks. The main thread only starts and stops it.
 */
public final class KvldsServer implements DaemonService {

    private static final Logger log = LoggerFactory.getLogger(KvldsServer.class);

    /** How long start-up waits for lbs at each step; lbs answers in milliseconds unless it is stuck. */
    private static final long STARTUP_TIMEOUT_SECONDS = 120;
    /** How long a stop waits for the batch at lbs (a 10 s fsync is already a sick disk). */
    private static final long DRAIN_TIMEOUT_SECONDS = 10;
    private static final long FREE_PERIOD_MILLIS = 1000;
    private static final long STATUS_PERIOD_MILLIS = 60_000;

    private final EventLoopGroup group;
    private final EventLoop loop;
    private final AcceptLimiter limiter;
    private final Listener listener;
    private final LbsClient lbs;
    private final KvldsLimits limits;
    private final BTree tree;
    private final Cleaner cleaner;
    private final Dispatcher dispatcher;
    private final KvldsMetrics metrics;
    /** What the start-up warm-up did, or null if it did not run (tests read it). */
    private final Warmup.Report warmup;
    private final CompletableFuture<Void> done = new CompletableFuture<>();
    private final List<KvldsConnection> connections = new ArrayList<>();
    /** The bound of the last FREE sent (event loop only). */
    private long lastFreeBound;
    private volatile boolean closing;
    /** The first fatal error, for /health (read on the metrics thread). */
    private volatile Throwable failure;

    /** Built whole on the event loop, from a recovered tree; {@link #start} has done everything that can fail. */
    private KvldsServer(KvldsConfig config, KvldsMetrics metrics, EventLoopGroup group, AcceptLimiter limiter,
                        Listener listener, LbsClient lbs, KvldsLimits limits, LbsPageStore store,
                        RootRecovery.Recovered recovered, boolean sparse, Warmup.Report warmup) {
        this.metrics = metrics;
        this.warmup = warmup;
        this.group = group;
        this.loop = group.next();
        this.limiter = limiter;
        this.listener = listener;
        this.lbs = lbs;
        this.limits = limits;
        this.tree = new BTree(store, recovered.root(), recovered.nextBlock(), limits.cachePages(), this::fatal);
        this.cleaner = new Cleaner(tree, config.cleaning(), !sparse);
        this.dispatcher = new Dispatcher(tree, cleaner, loop, limits, config.commitDelayNanos(), config.minForcedCommit(),
                this::freeAfterCommit, metrics);
    }

    /** Everything that can fail at start-up; the daemon is ready when it returns. */
    public static KvldsServer start(KvldsConfig config) throws StartupException {
        return start(config, new KvldsMetrics(new DaemonMetrics("kvlds")));
    }

    /**
     * As {@link #start(KvldsConfig)}, counting into {@code metrics}. The
     * order is the original's (kvlds.md §8): bind and listen first, so that
     * the socket exists, and an address in use fails, before lbs is touched;
     * then connect to lbs, PARAMS2, check the limits, recover the root, and
     * only then build the server and accept. Until then accepting is paused:
     * early clients wait in the listen backlog, so no connection ever sees a
     * half-built server. A failure undoes the steps taken, in reverse order.
     */
    public static KvldsServer start(KvldsConfig config, KvldsMetrics metrics) throws StartupException {
        Transport transport = Transport.best();
        EventLoopGroup group = transport.newEventLoopGroup(1, "kvlds");
        EventLoop loop = group.next();
        AcceptLimiter limiter = AcceptLimiter.paused(1, config.single());
        // Accepting opens only once the server exists, so every connection finds it here.
        CompletableFuture<KvldsServer> built = new CompletableFuture<>();
        Listener listener = null;
        LbsClient lbs = null;
        try {
            listener = Listener.bind(config.address(), transport, group, group, new ChannelInitializer<Channel>() {
                @Override
                protected void initChannel(Channel ch) {
                    built.join().serve(ch);
                }
            }, limiter, false, 10);
            lbs = await(LbsClient.connect(config.lbsAddress(), loop, transport),
                    "cannot connect to lbs at " + config.lbsAddress().text());
            LbsResponse.Params2 params = await(lbs.params2(), "lbs PARAMS2 failed");
            KvldsLimits limits = KvldsLimits.resolve(config, params.blockSize());
            String heapWarning = limits.checkHeap(Runtime.getRuntime().maxMemory());
            if (heapWarning != null) {
                log.warn(heapWarning);
            }
            log.info("lbs blockSize={} nextBlock={} lastBlock={} kmax={} vmax={} cachePages={}", params.blockSize(),
                    Long.toUnsignedString(params.nextBlock()), Long.toUnsignedString(params.lastBlock()),
                    limits.maxKeyLength(), limits.maxValueLength(), limits.cachePages());
            LbsPageStore store = new LbsPageStore(lbs, params.blockSize());
            RootRecovery.Recovered recovered = await(RootRecovery.recover(store, params.nextBlock(), params.lastBlock()),
                    "cannot recover the tree");
            boolean sparse = recovered.created() && recovered.nextBlock() != 1;
            if (sparse) {
                log.warn("new tree's first APPEND did not return block 1 (a sparse store): log cleaning is off");
            }
            Warmup.Report warmed = config.warmup() ? warmUp(config, limits) : null;
            Listener bound = listener;
            LbsClient connected = lbs;
            KvldsServer server = await(CompletableFuture.supplyAsync(() -> new KvldsServer(config, metrics, group, limiter,
                    bound, connected, limits, store, recovered, sparse, warmed).run(config), loop), "cannot start the tree");
            built.complete(server);
            limiter.open();
            return server;
        } catch (StartupException | RuntimeException e) {
            if (listener != null) {
                listener.close();
            }
            limiter.closeHeld();
            if (lbs != null) {
                lbs.close();
            }
            group.shutdownGracefully(0, 2, TimeUnit.SECONDS).awaitUninterruptibly(10, TimeUnit.SECONDS);
            throw e;
        }
    }

    /**
     * The warm-up (DESIGN.md "Warm-up"), on the calling thread, once
     * everything that can fail has been checked and before accepting: a
     * client never competes with it for the CPU, and a failed start-up is
     * not delayed by it. A failure of the private tree is a bug in kvlds:
     * logged with its stack trace, and the daemon starts without the rest
     * of its warm-up rather than not at all.
     */
    private static Warmup.Report warmUp(KvldsConfig config, KvldsLimits limits) {
        try {
            Warmup.Report r = Warmup.run(limits, config.cleaning(), Warmup.DEFAULT_MAX_REQUESTS, Warmup.DEFAULT_MAX_NANOS);
            log.info("warm-up requests={} batches={} pagesWritten={} millis={} stoppedBy={}", r.requests(), r.batches(),
                    r.pagesWritten(), r.nanos() / 1_000_000, r.stoppedByTime() ? "time" : "work");
            return r;
        } catch (RuntimeException e) {
            log.error("warm-up failed; starting without it", e);
            return null;
        }
    }

    /** Starts the timers and the watches of a server just built; event loop. */
    private KvldsServer run(KvldsConfig config) {
        loop.scheduleAtFixedRate(this::everySecond, FREE_PERIOD_MILLIS, FREE_PERIOD_MILLIS, TimeUnit.MILLISECONDS);
        loop.scheduleAtFixedRate(this::logStatus, STATUS_PERIOD_MILLIS, STATUS_PERIOD_MILLIS, TimeUnit.MILLISECONDS);
        logStatus();
        metrics.publish(tree, cleaner);
        lbs.closeFuture().whenComplete((v, e) -> {
            if (!closing) {
                fatal(new IOException("connection to lbs lost"));
            }
        });
        if (config.single()) {
            limiter.firstConnectionDone().whenComplete((v, e) -> done.complete(null));
        }
        return this;
    }

    /** A client accepted: framing, then its connection to the dispatcher. */
    private void serve(Channel ch) {
        // Keep writing answers after the client half-closes; the connection drops at EOF anyway.
        ch.config().setOption(ChannelOption.ALLOW_HALF_CLOSURE, true);
        KvldsConnection connection = new KvldsConnection(dispatcher, limits);
        connections.add(connection);
        ch.closeFuture().addListener(f -> connections.remove(connection));
        connection.install(ch.pipeline());
    }

    private void everySecond() {
        sendFree();
        if (!tree.failed()) {
            dispatcher.tick();
            metrics.publish(tree, cleaner);
        }
    }

    /** What an operator needs to see the cleaner keeping the log bounded. */
    private void logStatus() {
        if (tree.failed()) {
            return;
        }
        long live = tree.committed().nnodes();
        long span = tree.npages();
        log.info("status livePages={} logSpanBlocks={} oldestLiveBlock={} nextBlock={} garbageRatio={} cleaningRate={}/s cleaningDebt={} "
                        + "leavesPicked={} batches={} pagesWritten={}",
                live, span, Long.toUnsignedString(tree.committed().oldestLeaf()), Long.toUnsignedString(tree.nextBlock()),
                String.format("%.2f", (double) span / Math.max(1, live)),
                String.format("%.3g", cleaner.rate() * Math.max(0, span - live)), String.format("%.1f", cleaner.debt()),
                cleaner.leavesPicked(), tree.batchesCommitted(), tree.pagesWritten());
    }

    /**
     * After a commit, FREE at once if the bound has moved by a 64th of the
     * span since the last FREE: lbs deletes whole files of about a 16th of
     * the span, and waiting for the next second's FREE would keep up to a
     * second of writes (a tenth of the span under a fast writer) as garbage.
     */
    private void freeAfterCommit() {
        long bound = tree.freeBound();
        if (Long.compareUnsigned(bound, lastFreeBound) > 0 && bound - lastFreeBound >= tree.npages() / 64) {
            sendFree();
        }
    }

    /** FREE(oldest live leaf) every second, for the life of the process; a failure is fatal (a dead lbs is noticed). */
    private void sendFree() {
        if (tree.failed()) {
            return;
        }
        long bound = tree.freeBound();
        lastFreeBound = bound;
        lbs.free(bound).whenComplete((v, e) -> {
            if (e != null && !closing) {
                fatal(new IOException("lbs FREE failed: " + e.getMessage(), e));
            }
        });
    }

    private void fatal(Throwable cause) {
        if (failure == null) {
            failure = cause;
        }
        done.completeExceptionally(cause);
    }

    /** 503 once the lbs connection is gone or the store failed; the daemon is stopping then. */
    @Override
    public Health health() {
        Throwable cause = failure;
        if (cause != null) {
            return Health.notServing("store failed: " + cause.getMessage());
        }
        return closing ? Health.notServing("stopping") : Health.SERVING;
    }

    private static <T> T await(CompletableFuture<T> future, String what) throws StartupException {
        try {
            return future.get(STARTUP_TIMEOUT_SECONDS, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof StartupException) {
                throw (StartupException) cause;
            }
            throw new StartupException(what + ": " + cause.getMessage(), cause);
        } catch (TimeoutException e) {
            throw new StartupException(what + ": no answer within " + STARTUP_TIMEOUT_SECONDS + " s", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new StartupException(what + ": interrupted", e);
        }
    }

    /** What the start-up warm-up did, or null if it was off (or failed). */
    Warmup.Report warmup() {
        return warmup;
    }

    /** The event loop that owns every connection (tests read {@link #connections()} on it). */
    EventLoop loop() {
        return loop;
    }

    /** The open client connections; event loop only. */
    List<KvldsConnection> connections() {
        return connections;
    }

    @Override
    public CompletableFuture<Void> done() {
        return done;
    }

    /**
     * Lets the batch whose APPEND is at lbs finish and be answered before lbs
     * is closed under it; bounded, since a stuck lbs must not keep a stopping
     * daemon alive. A fatal error ends the wait too: that batch will never
     * finish.
     */
    private void awaitRunningBatch() {
        if (loop.inEventLoop()) {
            return;
        }
        CompletableFuture<Void> idle = new CompletableFuture<>();
        done.whenComplete((v, e) -> idle.complete(null));
        // Completed from a task queued behind the connections' flushes of the batch's answers.
        loop.execute(() -> dispatcher.drain(() -> loop.execute(() -> idle.complete(null))));
        try {
            idle.get(DRAIN_TIMEOUT_SECONDS, TimeUnit.SECONDS);
        } catch (TimeoutException e) {
            log.warn("stopping with a batch still at lbs after {} s; it is not acknowledged", DRAIN_TIMEOUT_SECONDS);
        } catch (ExecutionException e) {
            throw new IllegalStateException("cannot fail", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public synchronized void close() {
        if (closing) {
            return;
        }
        closing = true;
        listener.close();
        limiter.closeHeld();
        awaitRunningBatch();
        lbs.close();
        group.shutdownGracefully(0, 2, TimeUnit.SECONDS).awaitUninterruptibly(10, TimeUnit.SECONDS);
    }
}
