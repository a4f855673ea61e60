package io.kivaloo.lbs.server;

import io.kivaloo.lbs.storage.FileBlockStore;
import io.kivaloo.lbs.storage.CorruptBlockException;
import io.kivaloo.proto.lbs.store.BlockStorage;
import io.kivaloo.proto.lbs.store.DamagedBlockException;

import java.io.IOException;

/**
 * lbs's block files as proto's {@link BlockStorage}, which is how lbs-s3's
 * store is served too: counts what it does into {@link LbsMetrics}, and
 * makes the storage package's damage the {@link DamagedBlockException} the
 * server knows.
 */
final class FileStorage implements BlockStorage {

    private final FileBlockStore store;
    private final LbsMetrics metrics;

    FileStorage(FileBlockStore store, LbsMetrics metrics) {
        this.store = store;
        this.metrics = metrics;
        metrics.stored(store);
    }

    @Override
    public int blockSize() {
        return store.blockSize();
    }

    @Override
    public long nextBlock() {
        return store.nextBlock();
    }

    @Override
    public byte[] read(long block) throws IOException {
        try {
            byte[] bytes = store.read(block);
            metrics.read(bytes != null);
            return bytes;
        } catch (CorruptBlockException e) {
            throw new DamagedBlockException(e.getMessage(), e);
        }
    }

    @Override
    public long append(long firstBlock, byte[] data, int count) throws IOException {
        long next = store.append(firstBlock, data, count);
        metrics.appended(count, store.blockSize());
        metrics.stored(store);
        return next;
    }

    @Override
    public void free(long below) throws IOException {
        store.free(below);
        metrics.stored(store);
    }
}
