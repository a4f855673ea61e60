package io.kivaloo.lbss3.store;

import io.kivaloo.lbss3.s3.ObjectStore;
import io.kivaloo.proto.lbs.store.BlockStorage;
import io.kivaloo.proto.lbs.store.DamagedBlockException;
import io.kivaloo.proto.lbs.store.StoreFailedException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;

/**
 * The blocks of one running generation: read by ranged GET, appended as one
 * new object per APPEND, freed a whole object at a time from the front
 * (DESIGN.md "Model"). {@link #read} may run on many threads at once;
 * {@link #append} on one writer thread, {@link #free} on one deleter thread.
 *
 * <p>Fail-stop: after a failed or doubtful APPEND (the object store did not
 * confirm the PUT, or another generation has started) the store keeps the
 * first cause and refuses every later APPEND; only a restart, with its
 * recovery, decides what the object store holds.
 */
public final class ObjectBlockStore implements BlockStorage {

    private static final Logger log = LoggerFactory.getLogger(ObjectBlockStore.class);

    private final ObjectStore objects;
    private final StoreLayout layout;
    private final int blockSize;
    private final long generation;
    private final ObjectIndex index;
    /** Objects taken out of the index whose DELETE has not succeeded yet, oldest first (deleter only). */
    private final Deque<StoredObject> undeleted = new ArrayDeque<>();
    /** Keys recovery found to be no part of the store, deleted by the next FREEs (deleter only). */
    private final Deque<String> garbage;
    private volatile Throwable failure;

    ObjectBlockStore(ObjectStore objects, StoreLayout layout, int blockSize, long generation, ObjectIndex index,
                     List<String> garbage) {
        this.garbage = new ArrayDeque<>(garbage);
        this.objects = objects;
        this.layout = layout;
        this.blockSize = blockSize;
        this.generation = generation;
        this.index = index;
    }

    @Override
    public int blockSize() {
        return blockSize;
    }

    @Override
    public long nextBlock() {
        return index.nextBlock();
    }

    public long minBlock() {
        return index.minBlock();
    }

    public long generation() {
        return generation;
    }

    /** Live data objects (for tests and log lines). */
    public int objectCount() {
        return index.size();
    }

    /**
     * The block's bytes, or null if it is absent (outside the live range, or
     * freed, also while this read ran).
     *
     * @throws DamagedBlockException if the object store returns another length, or lost a live object
     */
    @Override
    public byte[] read(long block) throws IOException {
        Throwable failed = failure;
        if (failed instanceof StoreRefusedException) {
            // Superseded: the newcomer may have written blocks this view does not know.
            throw new StoreFailedException("block store stopped: " + failed.getMessage(), failed);
        }
        StoredObject object = index.find(block);
        if (object == null) {
            return null;
        }
        long offset = (block - object.firstBlock()) * blockSize;
        byte[] data = objects.getRange(object.key(), offset, blockSize);
        if (data == null) {
            if (!index.contains(object)) {
                return null; // lost the race with FREE
            }
            throw new DamagedBlockException("block object missing key=" + object.key() + " block="
                    + Long.toUnsignedString(block));
        }
        if (data.length != blockSize) {
            throw new DamagedBlockException("short block read key=" + object.key() + " block=" + Long.toUnsignedString(block)
                    + " offset=" + offset + " length=" + data.length + " (expected: " + blockSize + ")");
        }
        return data;
    }

    /**
     * Writes {@code count} blocks from {@code firstBlock} (which must be
     * nextBlock) as one new object and returns the new nextBlock, only once
     * the object store has confirmed the PUT and no newer generation has
     * started (the fence).
     */
    @Override
    public long append(long firstBlock, byte[] data, int count) throws IOException {
        Throwable failed = failure;
        if (failed != null) {
            throw new StoreFailedException("block store stopped after an earlier failure: " + failed.getMessage(), failed);
        }
        if (firstBlock != index.nextBlock() || data.length != (long) count * blockSize) {
            throw new IllegalArgumentException("APPEND block=" + Long.toUnsignedString(firstBlock) + " count=" + count
                    + " length=" + data.length + " (expected: block " + Long.toUnsignedString(index.nextBlock())
                    + ", " + blockSize + " bytes per block)");
        }
        String key = layout.blockKey(firstBlock, generation);
        try {
            objects.create(key, data);
            checkNotSuperseded();
        } catch (IOException | RuntimeException e) {
            failure = e;
            log.error("APPEND failed, stopping generation={} block={} count={}", Long.toUnsignedString(generation),
                    Long.toUnsignedString(firstBlock), count, e);
            throw new StoreFailedException("block store stopped after an object-store failure during APPEND at block "
                    + Long.toUnsignedString(firstBlock) + ": " + e.getMessage(), e);
        }
        index.append(new StoredObject(key, firstBlock, count, generation));
        log.debug("APPEND block={} count={} key={}", Long.toUnsignedString(firstBlock), count, key);
        return index.nextBlock();
    }

    /**
     * The fence: a newer generation is claimed only before its recovery lists
     * the blocks, so if no claim exists after our PUT, that recovery will see
     * our object. Claims are numbered densely, so the next one is ours + 1.
     */
    private void checkNotSuperseded() throws IOException {
        if (objects.exists(layout.claimKey(generation + 1))) {
            throw superseded();
        }
    }

    private StoreRefusedException superseded() {
        return supersededBy(generation);
    }

    /** What a generation that finds the next one claimed stops with. */
    static StoreRefusedException supersededBy(long generation) {
        return new StoreRefusedException("generation " + Long.toUnsignedString(generation + 1)
                + " has been claimed: another lbs-s3 took over the store");
    }

    /** Another instance took over (found by a lease renewal): nothing is read, written or deleted from now on. */
    public void supersede(StoreRefusedException cause) {
        if (failure == null) {
            failure = cause;
        }
    }

    /**
     * Deletes, oldest first, every object that ends at or below {@code below},
     * except the newest (so nextBlock and the client's last block survive),
     * after the garbage recovery found. An object leaves the index before its
     * DELETE, so it reads as absent from then on. A failed request is logged
     * and the pass stops there; the next FREE retries from the same object:
     * objects go strictly in order, so the store never has a gap, and a
     * leftover costs storage, not correctness. Only finding that another
     * generation took over is thrown (and stops the daemon).
     */
    @Override
    public void free(long below) throws IOException {
        if (failure != null) {
            return;
        }
        try {
            deleteGarbage();
            if (undeleted.isEmpty() && !hasFreeable(below)) {
                return;
            }
            if (objects.exists(layout.claimKey(generation + 1))) {
                throw superseded();
            }
            while (!undeleted.isEmpty()) {
                objects.delete(undeleted.peekFirst().key());
                undeleted.removeFirst();
            }
            while (hasFreeable(below)) {
                StoredObject object = index.oldest();
                index.removeOldest(object);
                undeleted.addLast(object);
                objects.delete(object.key());
                undeleted.removeLast();
                log.debug("FREE deleted key={}", object.key());
            }
        } catch (StoreRefusedException e) {
            throw e;
        } catch (IOException e) {
            log.error("FREE stopped by an object-store failure, retried at the next FREE below={}",
                    Long.toUnsignedString(below), e);
        }
    }

    private boolean hasFreeable(long below) {
        StoredObject oldest = index.oldest();
        return index.size() >= 2 && Long.compareUnsigned(oldest.endBlock(), below) <= 0;
    }

    private void deleteGarbage() throws IOException {
        while (!garbage.isEmpty()) {
            objects.delete(garbage.peekFirst());
            log.info("deleted an object that is not part of the store key={}", garbage.removeFirst());
        }
    }

    /** The first failure, or null. */
    public Throwable failure() {
        return failure;
    }
}
