package io.kivaloo.lbs.storage;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * One block file, held open for the store's lifetime so that a read costs
 * one pread. A FREE may delete the file while readers use it; a reference
 * count keeps the handle open until the last reader is done, and a reader
 * that arrives after the file was retired sees it as gone ("absent").
 */
final class BlockFile {

    private static final Logger log = LoggerFactory.getLogger(BlockFile.class);

    private final String name;
    private final long firstBlock;
    private final DataFile data;
    /** One reference held by the file table, one per reader in flight; 0 = closed. */
    private final AtomicInteger references = new AtomicInteger(1);

    BlockFile(String name, long firstBlock, DataFile data) {
        this.name = name;
        this.firstBlock = firstBlock;
        this.data = data;
    }

    String name() {
        return name;
    }

    long firstBlock() {
        return firstBlock;
    }

    DataFile data() {
        return data;
    }

    /** Takes a reader's reference; false if the file was retired (deleted) meanwhile. */
    boolean acquire() {
        while (true) {
            int n = references.get();
            if (n == 0) {
                return false;
            }
            if (references.compareAndSet(n, n + 1)) {
                return true;
            }
        }
    }

    /** Drops a reference taken by {@link #acquire()}; the last one closes the handle. */
    void release() {
        if (references.decrementAndGet() == 0) {
            closeQuietly();
        }
    }

    /** Drops the file table's reference: the file is no longer part of the store. */
    void retire() {
        release();
    }

    /**
     * Reads the slot of {@code block} into {@code slot} (cleared first,
     * {@code slotLength} bytes). Returns false on a short read: the file is
     * shorter than the store believes.
     */
    boolean readSlot(long block, int blockSize, ByteBuffer slot) throws IOException {
        long position = BlockFileFormat.slotOffset(blockSize, block - firstBlock);
        slot.clear().limit(BlockFileFormat.slotLength(blockSize));
        if (!data.readFully(slot, position)) {
            return false;
        }
        slot.flip();
        return true;
    }

    private void closeQuietly() {
        try {
            data.close();
        } catch (IOException e) {
            // Only read handles of a deleted or closing store end here: nothing depends on the close.
            log.warn("cannot close block file file={} reason={}", name, e.getMessage());
        }
    }
}
