package io.kivaloo.lbss3.server;

import io.kivaloo.lbss3.s3.ObjectStore;
import io.kivaloo.lbss3.s3.S3ObjectStore;
import io.kivaloo.lbss3.store.ObjectBlockStore;
import io.kivaloo.lbss3.store.StoreLayout;
import io.kivaloo.lbss3.store.StoreOpener;
import io.kivaloo.proto.daemon.DaemonService;
import io.kivaloo.proto.daemon.StartupException;
import io.kivaloo.proto.lbs.server.LbsEndpoint;
import io.kivaloo.proto.lbs.server.StorageWorkers;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A running lbs-s3: one generation of the store (parameters checked, lease
 * held, chain recovered), proto's {@link StorageWorkers} over it, and proto's
 * {@link LbsEndpoint} serving one connection at a time (DESIGN.md "Threads").
 */
public final class LbsS3Server implements DaemonService {

    private static final Logger log = LoggerFactory.getLogger(LbsS3Server.class);
    public static final int MIN_BLOCK_SIZE = 512;
    public static final int MAX_BLOCK_SIZE = 131072;

    private final LbsS3Config config;
    private final ObjectStore objects;
    private final StoreOpener.Opened opened;
    /** Parallel ranged GETs: each waits a round trip, so more threads than cores pay off. */
    private static final int READERS = 16;

    private final StorageWorkers workers;
    private final CompletableFuture<Void> done = new CompletableFuture<>();
    private final AtomicBoolean closed = new AtomicBoolean();
    private volatile LbsEndpoint endpoint;

    private LbsS3Server(LbsS3Config config, ObjectStore objects, StoreOpener.Opened opened) {
        this.config = config;
        this.objects = objects;
        this.opened = opened;
        this.workers = new StorageWorkers("lbs-s3", opened.store(), READERS, 0, this::fatal);
    }

    /** Checks the options, starts a generation on the bucket and listens; the daemon is ready when this returns. */
    public static LbsS3Server start(LbsS3Config config) throws StartupException {
        checkOptions(config);
        ObjectStore objects;
        try {
            objects = S3ObjectStore.open(config.s3());
        } catch (IOException e) {
            throw new StartupException(e.getMessage(), e);
        }
        return start(config, objects);
    }

    /** As {@link #start(LbsS3Config)} on the given object store (tests inject faults through it); closes it on failure. */
    public static LbsS3Server start(LbsS3Config config, ObjectStore objects) throws StartupException {
        checkOptions(config);
        StoreOpener.Opened opened;
        try {
            opened = StoreOpener.open(objects, new StoreLayout(config.prefix()), config.blockSize(), config.leasePeriod());
        } catch (IOException | RuntimeException e) {
            objects.close();
            throw new StartupException("cannot open the store: " + e.getMessage(), e);
        }
        LbsS3Server server = new LbsS3Server(config, objects, opened);
        try {
            server.endpoint = LbsEndpoint.listen(config.address(), server.workers, "lbs-s3-io", config.single());
        } catch (StartupException e) {
            server.close();
            throw e;
        }
        server.endpoint.singleConnectionDone().thenRun(() -> server.done.complete(null));
        ObjectBlockStore store = opened.store();
        log.info("lbs-s3 started addr={} {} prefix='{}' blockSize={} storeId={} generation={} nextBlock={}",
                config.address().text(), objects.describe(), config.prefix(), config.blockSize(),
                opened.parameters().storeId(), Long.toUnsignedString(store.generation()),
                Long.toUnsignedString(store.nextBlock()));
        return server;
    }

    static void checkOptions(LbsS3Config config) throws StartupException {
        if (config.blockSize() < MIN_BLOCK_SIZE || config.blockSize() > MAX_BLOCK_SIZE) {
            throw new StartupException("Block size must be in [" + MIN_BLOCK_SIZE + ", " + MAX_BLOCK_SIZE + "]");
        }
        if (config.leasePeriod().isNegative() || config.leasePeriod().isZero()) {
            throw new StartupException("Lease period must be positive");
        }
    }

    /** The store, for tests. */
    public ObjectBlockStore store() {
        return opened.store();
    }

    /** Fail-stop: an APPEND failed or another generation took over; the daemon stops with the first cause. */
    private void fatal(Throwable cause) {
        if (done.completeExceptionally(cause)) {
            log.error("stopping: object-store failure reason={}", cause.getMessage());
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
        // The APPEND being written finishes (and is acknowledged by the object store) first.
        LbsEndpoint serving = endpoint;
        if (serving != null) {
            serving.close(workers::close);
        } else {
            workers.close();
        }
        opened.lease().close();
        objects.close();
        log.info("lbs-s3 stopped generation={}", Long.toUnsignedString(opened.store().generation()));
    }
}
