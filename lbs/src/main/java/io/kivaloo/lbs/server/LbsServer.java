package io.kivaloo.lbs.server;

import io.kivaloo.lbs.storage.BlockFileFormat;
import io.kivaloo.lbs.storage.BlockStore;
import io.kivaloo.lbs.storage.DirectoryLock;
import io.kivaloo.lbs.storage.Disk;
import io.kivaloo.lbs.storage.NioDisk;
import io.kivaloo.proto.daemon.AcceptLimiter;
import io.kivaloo.proto.daemon.DaemonService;
import io.kivaloo.proto.daemon.Listener;
import io.kivaloo.proto.daemon.StartupException;
import io.kivaloo.proto.net.Transport;
import io.kivaloo.proto.wire.FrameDecoder;
import io.kivaloo.proto.wire.FrameEncoder;
import io.kivaloo.proto.wire.WireFormat;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.file.Files;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;

/**
 * A running lbs: the storage directory (locked, recovered, opened), its
 * worker threads, and one event-loop thread that listens and serves one
 * connection at a time (DESIGN.md "Threads").
 */
public final class LbsServer implements DaemonService {

    private static final Logger log = LoggerFactory.getLogger(LbsServer.class);

    /** Listen backlog of the original: later clients wait there while one is served. */
    private static final int BACKLOG = 10;
    /**
     * Largest request record: an APPEND of up to 512 MiB. The C kvlds sends
     * at most a quarter of its cache (32 MiB by default) in one APPEND.
     */
    private static final int MAX_RECORD_LENGTH = WireFormat.DEFAULT_MAX_RECORD_LENGTH;

    private final LbsConfig config;
    private final DirectoryLock lock;
    private final BlockStore store;
    private final StorageWorkers workers;
    private final EventLoopGroup group;
    private final AcceptLimiter limiter;
    private final CompletableFuture<Void> done = new CompletableFuture<>();
    private final AtomicReference<CompletableFuture<Void>> lastDrained =
            new AtomicReference<>(CompletableFuture.completedFuture(null));
    private final Set<Channel> connections = ConcurrentHashMap.newKeySet();
    private final AtomicBoolean closed = new AtomicBoolean();
    private volatile Listener listener;

    private LbsServer(LbsConfig config, DirectoryLock lock, BlockStore store, Transport transport) {
        this.config = config;
        this.lock = lock;
        this.store = store;
        this.workers = new StorageWorkers(store, config.readers(), config.readLatencyNanos(), this::fatal);
        this.group = transport.newEventLoopGroup(1, "lbs-io");
        this.limiter = new AcceptLimiter(1, config.single());
    }

    /** Checks the options, opens the storage directory and listens; the daemon is ready when this returns. */
    public static LbsServer start(LbsConfig config) throws StartupException {
        return start(config, new NioDisk(config.directory()));
    }

    /** As {@link #start(LbsConfig)}, with the file layer given (tests inject faults through it). */
    static LbsServer start(LbsConfig config, Disk disk) throws StartupException {
        checkOptions(config);
        if (!Files.isDirectory(config.directory())) {
            throw new StartupException("Error initializing storage directory: " + config.directory() + " is not a directory");
        }
        DirectoryLock lock;
        BlockStore store;
        try {
            lock = DirectoryLock.acquire(config.directory());
        } catch (IOException e) {
            throw new StartupException("Error initializing storage directory: " + e.getMessage(), e);
        }
        try {
            store = BlockStore.open(disk, config.blockSize(), config.sync());
        } catch (IOException | RuntimeException e) {
            closeQuietly(lock);
            throw new StartupException("Error initializing storage directory: " + e.getMessage(), e);
        }
        Transport transport = Transport.best();
        LbsServer server = new LbsServer(config, lock, store, transport);
        try {
            server.listener = Listener.bind(config.address(), transport, server.group, server.group,
                    server.childInitializer(), server.limiter, false, BACKLOG);
        } catch (StartupException e) {
            server.close();
            throw e;
        }
        if (config.single()) {
            server.limiter.firstConnectionDone()
                    .thenCompose(v -> server.lastDrained.get())
                    .thenRun(() -> server.done.complete(null));
        }
        log.info("lbs started addr={} dir={} blockSize={} readers={} sync={} nextBlock={}", config.address().text(),
                config.directory(), config.blockSize(), config.readers(), config.sync(),
                Long.toUnsignedString(store.nextBlock()));
        return server;
    }

    private static void checkOptions(LbsConfig config) throws StartupException {
        if (config.blockSize() < BlockFileFormat.MIN_BLOCK_SIZE || config.blockSize() > BlockFileFormat.MAX_BLOCK_SIZE) {
            throw new StartupException("Block size must be in [" + BlockFileFormat.MIN_BLOCK_SIZE + ", "
                    + BlockFileFormat.MAX_BLOCK_SIZE + "]");
        }
        if (config.readers() < 1 || config.readers() > 1000) {
            throw new StartupException("Number of readers must be in [1, 1000]");
        }
        if (config.readLatencyNanos() < 0 || config.readLatencyNanos() >= 1_000_000_000L) {
            throw new StartupException("Read latency must be in [0, 1000000000) ns");
        }
    }

    private ChannelInitializer<Channel> childInitializer() {
        return new ChannelInitializer<>() {
            @Override
            protected void initChannel(Channel ch) {
                // Reading starts once the previous client's work is done; EOF leaves the socket
                // open for the answers still owed.
                ch.config().setAutoRead(false);
                ch.config().setOption(ChannelOption.ALLOW_HALF_CLOSURE, true);
                LbsConnectionHandler handler = new LbsConnectionHandler(workers, lastDrained.get());
                lastDrained.set(handler.drained());
                connections.add(ch);
                ch.closeFuture().addListener(f -> connections.remove(ch));
                ch.pipeline().addLast("frameDecoder", new FrameDecoder(MAX_RECORD_LENGTH));
                ch.pipeline().addLast("frameEncoder", new FrameEncoder());
                ch.pipeline().addLast("lbs", handler);
            }
        };
    }

    /** The store, for tests in this package. */
    BlockStore store() {
        return store;
    }

    /** Fail-stop: a write, fsync or deletion failed; the daemon stops with the first such failure. */
    private void fatal(Throwable cause) {
        if (done.completeExceptionally(cause)) {
            log.error("stopping: storage failure reason={}", cause.getMessage());
        }
    }

    @Override
    public CompletableFuture<Void> done() {
        return done;
    }

    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        Listener bound = listener;
        if (bound != null) {
            bound.close();
        }
        limiter.closeHeld();
        for (Channel channel : connections) {
            channel.close().awaitUninterruptibly();
        }
        // The APPEND being written finishes (and is durable) before the files close.
        workers.close();
        store.close();
        closeQuietly(lock);
        group.shutdownGracefully(0, 5, TimeUnit.SECONDS).awaitUninterruptibly();
        log.info("lbs stopped dir={}", config.directory());
    }

    private static void closeQuietly(DirectoryLock lock) {
        try {
            lock.close();
        } catch (IOException e) {
            log.warn("cannot release the storage directory lock reason={}", e.getMessage());
        }
    }
}
