package io.kivaloo.proto.lbs.server;

import io.kivaloo.proto.daemon.DaemonService;
import io.kivaloo.proto.daemon.StartupException;
import io.kivaloo.proto.lbs.store.BlockStorage;
import io.kivaloo.proto.metrics.Health;
import io.kivaloo.proto.net.KivalooAddress;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A storage served over the LBS protocol as a daemon: its {@link StorageWorkers},
 * the {@link LbsEndpoint}, fail-stop on the first storage failure, and the
 * shutdown order that lets the APPEND being written finish before the
 * storage is released. lbs and lbs-s3 differ only in the storage and in what
 * they release after it ({@code release}).
 */
public final class LbsService implements DaemonService {

    private static final Logger log = LoggerFactory.getLogger(LbsService.class);

    private final StorageWorkers workers;
    private final Runnable release;
    private final CompletableFuture<Void> done = new CompletableFuture<>();
    private final AtomicBoolean closed = new AtomicBoolean();
    private volatile LbsEndpoint endpoint;
    /** The first storage failure, for /health (read on the metrics thread). */
    private volatile Throwable failure;

    private LbsService(String name, BlockStorage storage, int readers, long readPauseNanos, Runnable release) {
        this.workers = new StorageWorkers(name, storage, readers, readPauseNanos, this::fatal);
        this.release = release;
    }

    /**
     * Starts the workers and listens; clients are served once this returns.
     * If listening fails, everything is released (including {@code release})
     * before the exception leaves.
     *
     * @param name           thread names: {@code <name>-io-*}, {@code <name>-reader-*}, ... (Netty adds pool and thread numbers)
     * @param readPauseNanos hold a reader this long after each read (lbs's -l; 0: none)
     * @param single         serve only the first connection ({@code -1}), then {@link #done()} completes
     * @param release        runs once the workers have stopped: closes the storage
     */
    public static LbsService start(String name, BlockStorage storage, int readers, long readPauseNanos,
                                   KivalooAddress address, boolean single, Runnable release) throws StartupException {
        LbsService service = new LbsService(name, storage, readers, readPauseNanos, release);
        try {
            service.endpoint = LbsEndpoint.listen(address, service.workers, name + "-io", single);
        } catch (StartupException e) {
            service.close();
            throw e;
        }
        service.endpoint.singleConnectionDone().thenRun(() -> service.done.complete(null));
        return service;
    }

    /**
     * Fail-stop: a write or deletion failed, or the storage was taken over
     * (the workers find it, or the storage tells: lbs-s3's lease renewal);
     * the daemon stops with the first cause.
     */
    public void fatal(Throwable cause) {
        if (done.completeExceptionally(cause)) {
            failure = cause;
            log.error("stopping: storage failure reason={}", cause.getMessage());
        }
    }

    @Override
    public CompletableFuture<Void> done() {
        return done;
    }

    /** 503 once fail-stopped: nothing more is acknowledged. */
    @Override
    public Health health() {
        Throwable cause = failure;
        if (cause != null) {
            return Health.notServing("fail-stopped: " + cause.getMessage());
        }
        return closed.get() ? Health.notServing("stopping") : Health.SERVING;
    }

    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        // The APPEND being written finishes (durable, or acknowledged by the object store) before the storage goes.
        LbsEndpoint serving = endpoint;
        if (serving != null) {
            serving.close(workers::close);
        } else {
            workers.close();
        }
        release.run();
    }
}
