package io.kivaloo.proto.lbs.store;

import java.io.IOException;

/**
 * A block store as proto's LBS server serves it (lbs: files, lbs-s3:
 * objects). Blocking, called on the server's worker threads:
 * {@link #read} on many at once, {@link #append} on the writer only,
 * {@link #free} on the deleter only; {@link #blockSize} and
 * {@link #nextBlock} on the event loop, so they must not block. A store
 * implements this and knows nothing of the server: it lives here, beside the
 * failures it throws, not in {@code lbs.server}.
 */
public interface BlockStorage {

    int blockSize();

    long nextBlock();

    /** The block's bytes or null if absent; {@link DamagedBlockException} for a block that is not intact. */
    byte[] read(long block) throws IOException;

    /**
     * Stores the blocks durably and returns the new nextBlock; a failure stops the store
     * (fail-stop: this and every later APPEND fails with {@link StoreFailedException}).
     */
    long append(long firstBlock, byte[] data, int count) throws IOException;

    /** Releases storage below {@code below}; a failure it throws stops the daemon. */
    void free(long below) throws IOException;
}
