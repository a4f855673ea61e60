package io.kivaloo.lbs.server;

import io.kivaloo.lbs.storage.BlockStore;
import io.kivaloo.lbs.storage.CorruptBlockException;
import io.kivaloo.proto.lbs.server.DamagedBlockException;
import io.kivaloo.proto.lbs.server.StorageWorkers;

import java.io.IOException;

/** lbs's block files as proto's {@link StorageWorkers.Storage}: the storage package's damage made protocol-visible. */
final class FileStorage implements StorageWorkers.Storage {

    private final BlockStore store;

    FileStorage(BlockStore store) {
        this.store = store;
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
            return store.read(block);
        } catch (CorruptBlockException e) {
            throw new DamagedBlockException(e.getMessage(), e);
        }
    }

    @Override
    public long append(long firstBlock, byte[] data, int count) throws IOException {
        return store.append(firstBlock, data, count);
    }

    @Override
    public void free(long below) throws IOException {
        store.free(below);
    }
}
