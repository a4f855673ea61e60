package io.kivaloo.lbss3.store;

import io.kivaloo.lbss3.s3.FaultyObjectStore;
import io.kivaloo.lbss3.s3.MemoryObjectStore;

import java.io.IOException;
import java.time.Duration;

/**
 * One simulated lbs-s3 process on a shared in-memory bucket: a generation
 * opened through {@link StoreOpener}, its own faulty view of the bucket, a
 * clean {@link #stop()} or a {@link #crash()} (kill -9: nothing more reaches
 * the bucket, its lease stays behind).
 */
final class Instance implements AutoCloseable {

    static final int BLOCK_SIZE = 512;
    /** Short, so that a start after a crash waits little; live instances renew every 50 ms. */
    static final Duration LEASE = Duration.ofMillis(200);

    final FaultyObjectStore view;
    final StoreOpener.Opened opened;
    final ObjectBlockStore store;

    private Instance(FaultyObjectStore view, StoreOpener.Opened opened) {
        this.view = view;
        this.opened = opened;
        this.store = opened.store();
    }

    static Instance start(MemoryObjectStore bucket) throws IOException {
        return start(new FaultyObjectStore(bucket), BLOCK_SIZE, LEASE);
    }

    static Instance start(FaultyObjectStore view, int blockSize, Duration lease) throws IOException {
        return new Instance(view, StoreOpener.open(view, new StoreLayout("store"), blockSize, lease));
    }

    void stop() {
        opened.lease().close();
    }

    void crash() {
        view.kill();
        opened.lease().close(); // its renewer stops; the delete fails: the lease stays, as after kill -9
    }

    @Override
    public void close() {
        stop();
    }
}
