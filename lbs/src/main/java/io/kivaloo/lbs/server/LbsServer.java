package io.kivaloo.lbs.server;

import io.kivaloo.lbs.storage.FileBlockStore;
import io.kivaloo.lbs.storage.DirectoryLock;
import io.kivaloo.lbs.storage.Disk;
import io.kivaloo.lbs.storage.NioDisk;
import io.kivaloo.proto.daemon.DaemonService;
import io.kivaloo.proto.daemon.StartupException;
import io.kivaloo.proto.lbs.server.LbsService;
import io.kivaloo.proto.lbs.store.BlockSizeRange;
import io.kivaloo.proto.metrics.DaemonMetrics;
import io.kivaloo.proto.metrics.Health;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.file.Files;
import java.util.concurrent.CompletableFuture;

/**
 * A running lbs: the storage directory (locked, recovered, opened), served
 * by proto's {@link LbsService} (worker threads, and one event-loop thread
 * that listens and serves one connection at a time; DESIGN.md "Threads").
 */
public final class LbsServer implements DaemonService {

    private static final Logger log = LoggerFactory.getLogger(LbsServer.class);

    private final FileBlockStore store;
    private final LbsService service;

    private LbsServer(FileBlockStore store, LbsService service) {
        this.store = store;
        this.service = service;
    }

    /** Checks the options, opens the storage directory and listens; the daemon is ready when this returns. */
    public static LbsServer start(LbsConfig config) throws StartupException {
        return start(config, new LbsMetrics(new DaemonMetrics("lbs")));
    }

    /** As {@link #start(LbsConfig)}, counting into {@code metrics}. */
    public static LbsServer start(LbsConfig config, LbsMetrics metrics) throws StartupException {
        return start(config, new SyncTimingDisk(new NioDisk(config.directory()), metrics), metrics);
    }

    /** As {@link #start(LbsConfig)}, with the file layer given (tests inject faults through it). */
    static LbsServer start(LbsConfig config, Disk disk) throws StartupException {
        return start(config, disk, new LbsMetrics(new DaemonMetrics("lbs")));
    }

    private static LbsServer start(LbsConfig config, Disk disk, LbsMetrics metrics) throws StartupException {
        checkOptions(config);
        if (!Files.isDirectory(config.directory())) {
            throw new StartupException("Error initializing storage directory: " + config.directory() + " is not a directory");
        }
        DirectoryLock lock;
        FileBlockStore store;
        try {
            lock = DirectoryLock.acquire(config.directory());
        } catch (IOException e) {
            throw new StartupException("Error initializing storage directory: " + e.getMessage(), e);
        }
        try {
            store = FileBlockStore.open(disk, config.blockSize(), config.sync());
        } catch (IOException | RuntimeException e) {
            closeQuietly(lock);
            throw new StartupException("Error initializing storage directory: " + e.getMessage(), e);
        }
        LbsService service = LbsService.start("lbs", new FileStorage(store, metrics), config.readers(), config.readLatencyNanos(),
                config.address(), config.single(), () -> {
                    store.close();
                    closeQuietly(lock);
                    log.info("lbs stopped dir={}", config.directory());
                });
        LbsServer server = new LbsServer(store, service);
        log.info("lbs started addr={} dir={} blockSize={} readers={} sync={} nextBlock={}", config.address().text(),
                config.directory(), config.blockSize(), config.readers(), config.sync(),
                Long.toUnsignedString(store.nextBlock()));
        return server;
    }

    private static void checkOptions(LbsConfig config) throws StartupException {
        if (!BlockSizeRange.contains(config.blockSize())) {
            throw new StartupException(BlockSizeRange.outOfRangeMessage());
        }
        if (config.readers() < 1 || config.readers() > 1000) {
            throw new StartupException("Number of readers must be in [1, 1000]");
        }
        if (config.readLatencyNanos() < 0 || config.readLatencyNanos() >= 1_000_000_000L) {
            throw new StartupException("Read latency must be in [0, 1000000000) ns");
        }
    }

    /** The store, for tests in this package. */
    FileBlockStore store() {
        return store;
    }

    /** Completes with {@code -1} after the connection, or exceptionally on the first storage failure (fail-stop). */
    @Override
    public CompletableFuture<Void> done() {
        return service.done();
    }

    /** 503 once fail-stopped. */
    @Override
    public Health health() {
        return service.health();
    }

    /** Stops serving; the APPEND being written finishes (and is durable) before the files close. */
    @Override
    public void close() {
        service.close();
    }

    private static void closeQuietly(DirectoryLock lock) {
        try {
            lock.close();
        } catch (IOException e) {
            log.warn("cannot release the storage directory lock reason={}", e.getMessage());
        }
    }
}
