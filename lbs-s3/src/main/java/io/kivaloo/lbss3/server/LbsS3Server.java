package io.kivaloo.lbss3.server;

import io.kivaloo.lbss3.s3.ObjectStore;
import io.kivaloo.lbss3.s3.S3ObjectStore;
import io.kivaloo.lbss3.s3.S3RequestMetrics;
import io.kivaloo.lbss3.store.ObjectBlockStore;
import io.kivaloo.lbss3.store.StoreLayout;
import io.kivaloo.lbss3.store.StoreOpener;
import io.kivaloo.proto.daemon.DaemonService;
import io.kivaloo.proto.daemon.StartupException;
import io.kivaloo.proto.lbs.server.LbsService;
import io.kivaloo.proto.lbs.store.BlockSizeRange;
import io.kivaloo.proto.metrics.Health;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.util.concurrent.CompletableFuture;

/**
 * A running lbs-s3: one generation of the store (parameters checked, lease
 * held, chain recovered), served by proto's {@link LbsService}: worker
 * threads over it and one connection at a time (DESIGN.md "Threads").
 */
public final class LbsS3Server implements DaemonService {

    private static final Logger log = LoggerFactory.getLogger(LbsS3Server.class);

    /** Parallel ranged GETs: each waits a round trip, so more threads than cores pay off. */
    private static final int READERS = 16;

    private final StoreOpener.Opened opened;
    private final LbsService service;

    private LbsS3Server(StoreOpener.Opened opened, LbsService service) {
        this.opened = opened;
        this.service = service;
    }

    /** Checks the options, starts a generation on the bucket and listens; the daemon is ready when this returns. */
    public static LbsS3Server start(LbsS3Config config) throws StartupException {
        return start(config, (S3RequestMetrics) null);
    }

    /** As {@link #start(LbsS3Config)}, counting object store requests into {@code metrics} (null: not counted). */
    public static LbsS3Server start(LbsS3Config config, S3RequestMetrics metrics) throws StartupException {
        checkOptions(config);
        ObjectStore objects;
        try {
            objects = metrics == null ? S3ObjectStore.open(config.s3()) : S3ObjectStore.open(config.s3(), metrics);
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
        LbsService service = LbsService.start("lbs-s3", opened.store(), READERS, 0, config.address(), config.single(), () -> {
            opened.lease().close();
            objects.close();
            log.info("lbs-s3 stopped generation={}", Long.toUnsignedString(opened.store().generation()));
        });
        LbsS3Server server = new LbsS3Server(opened, service);
        ObjectBlockStore store = opened.store();
        opened.lease().whenSuperseded(e -> {
            store.supersede(e);
            service.fatal(e);
        });
        log.info("lbs-s3 started addr={} {} prefix='{}' blockSize={} storeId={} generation={} nextBlock={}",
                config.address().text(), objects.describe(), config.prefix(), config.blockSize(),
                opened.parameters().storeId(), Long.toUnsignedString(store.generation()),
                Long.toUnsignedString(store.nextBlock()));
        return server;
    }

    static void checkOptions(LbsS3Config config) throws StartupException {
        if (!BlockSizeRange.contains(config.blockSize())) {
            throw new StartupException(BlockSizeRange.outOfRangeMessage());
        }
        if (config.leasePeriod().isNegative() || config.leasePeriod().isZero()) {
            throw new StartupException("Lease period must be positive");
        }
    }

    /** The store, for tests. */
    public ObjectBlockStore store() {
        return opened.store();
    }

    /** Completes with {@code -1} after the connection, or exceptionally when an APPEND failed or another generation took over. */
    @Override
    public CompletableFuture<Void> done() {
        return service.done();
    }

    /** 503 once fail-stopped (an APPEND failed, or another generation took over). */
    @Override
    public Health health() {
        return service.health();
    }

    /** Stops serving; the APPEND being written finishes (acknowledged by the object store) before the lease goes. */
    @Override
    public void close() {
        service.close();
    }
}
