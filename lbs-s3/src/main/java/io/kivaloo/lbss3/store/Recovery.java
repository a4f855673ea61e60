package io.kivaloo.lbss3.store;

import io.kivaloo.lbss3.s3.ObjectInfo;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.NavigableSet;

/**
 * Decides, from a listing of {@code blocks/} and the generations' start
 * records, which data objects hold the store's blocks (DESIGN.md
 * "Recovery"). Pure: it reads start records through {@link StartRecords}
 * and changes nothing.
 *
 * <p>The newest started generation's start record is the authority, and
 * each start record names the one its own recovery followed, so:
 * <pre>
 *   valid(g) = objects written by g
 *            + { o in valid(previous(g)) : o ends at or below start(g) }
 * </pre>
 * An object of an older generation that ends above a later generation's
 * start block was not seen by that generation's recovery: a PUT that landed
 * after its writer died (or was fenced off), never acknowledged, and
 * possibly shadowed by newer blocks with the same numbers. It is garbage, as
 * is every object of a generation outside the chain. The valid objects must
 * then cover one gap-free range that ends at or above the newest start
 * block; anything else is damage, and start-up refuses rather than guess.
 * So is a data object of a generation without a start record: a generation
 * writes data only once its start record exists, so the record was lost.
 */
final class Recovery {

    /** Reads the start record of a generation known to have one. */
    interface StartRecords {
        GenerationStart read(long generation) throws IOException;
    }

    /**
     * @param live       the valid objects, gap-free, in block order
     * @param nextBlock  the block the next APPEND starts at
     * @param garbage    keys of data objects that are not (and never will be) part of the store
     * @param newest     the newest started generation, {@link GenerationStart#NONE} if none
     */
    record Result(List<StoredObject> live, long nextBlock, List<String> garbage, long newest) {
    }

    private Recovery() {
    }

    /**
     * @param started generations that have a start record (unsigned order)
     * @param blocks  the listing of {@code blocks/}, parseable keys only
     */
    static Result recover(StoreLayout layout, int blockSize, NavigableSet<Long> started, List<ObjectInfo> blocks,
                          StartRecords records) throws IOException {
        List<StoredObject> objects = new ArrayList<>(blocks.size());
        for (ObjectInfo info : blocks) {
            StoredObject object = storedObject(layout, blockSize, info);
            if (!started.contains(object.generation())) {
                // A generation writes data only after its start record exists: the record is gone
                // (a lifecycle rule, an operator) or the listing missed it. Its objects may hold
                // acknowledged blocks, and calling them garbage would let a FREE delete them.
                throw new CorruptStoreException("block object " + object.key() + " was written by generation "
                        + Long.toUnsignedString(object.generation()) + ", which has no start record ("
                        + layout.startKey(object.generation()) + "): it was deleted or the listing is incomplete;"
                        + " refusing to start rather than treat the object as garbage");
            }
            objects.add(object);
        }
        List<StoredObject> live = new ArrayList<>();
        List<String> garbage = new ArrayList<>();
        long newest = started.isEmpty() ? GenerationStart.NONE : started.last();
        long newestStart = 0;
        List<StoredObject> pending = objects;
        long current = newest;
        boolean bounded = false;
        long bound = 0;
        while (current != GenerationStart.NONE && !pending.isEmpty()) {
            GenerationStart record = records.read(current);
            if (current == newest) {
                newestStart = record.startBlock();
            }
            List<StoredObject> older = new ArrayList<>();
            for (StoredObject object : pending) {
                int order = Long.compareUnsigned(object.generation(), current);
                if (order > 0 || (order < 0 && Long.compareUnsigned(object.generation(), record.previous()) > 0)) {
                    // Written by a started generation that is not in the chain: its start record landed late.
                    garbage.add(object.key());
                } else if (order == 0) {
                    if (!bounded || Long.compareUnsigned(object.endBlock(), bound) <= 0) {
                        live.add(object);
                    } else {
                        garbage.add(object.key());
                    }
                } else {
                    older.add(object);
                }
            }
            bound = bounded && Long.compareUnsigned(bound, record.startBlock()) < 0 ? bound : record.startBlock();
            bounded = true;
            pending = older;
            current = record.previous();
        }
        if (newest != GenerationStart.NONE && objects.isEmpty()) {
            newestStart = records.read(newest).startBlock();
        }
        for (StoredObject object : pending) {
            garbage.add(object.key());
        }
        live.sort((a, b) -> Long.compareUnsigned(a.firstBlock(), b.firstBlock()));
        long nextBlock = checkChain(live, newest, newestStart);
        return new Result(List.copyOf(live), nextBlock, List.copyOf(garbage), newest);
    }

    private static StoredObject storedObject(StoreLayout layout, int blockSize, ObjectInfo info) throws CorruptStoreException {
        StoreLayout.BlockKey name = layout.parseBlockKey(info.key())
                .orElseThrow(() -> new IllegalArgumentException("not a block object key: " + info.key()));
        if (info.size() <= 0 || info.size() % blockSize != 0) {
            throw new CorruptStoreException("object " + info.key() + " has " + info.size()
                    + " bytes (expected: a positive multiple of the block size " + blockSize + ")");
        }
        long count = info.size() / blockSize;
        if (Long.compareUnsigned(name.firstBlock() + count, name.firstBlock()) <= 0) {
            throw new CorruptStoreException("object " + info.key() + " runs past block 2^64-1");
        }
        return new StoredObject(info.key(), name.firstBlock(), count, name.generation());
    }

    /** The chain must be gap-free and reach the newest start block; returns its end. */
    private static long checkChain(List<StoredObject> live, long newest, long newestStart) throws CorruptStoreException {
        if (live.isEmpty()) {
            if (newestStart != 0) {
                throw new CorruptStoreException("no block objects, but generation " + Long.toUnsignedString(newest)
                        + " started at block " + Long.toUnsignedString(newestStart) + ": objects are missing");
            }
            return 0;
        }
        for (int i = 1; i < live.size(); i++) {
            StoredObject before = live.get(i - 1);
            StoredObject after = live.get(i);
            if (after.firstBlock() != before.endBlock()) {
                throw new CorruptStoreException("objects " + before + " and " + after + " do not join up"
                        + " (a gap or an overlap in the blocks)");
            }
        }
        long end = live.get(live.size() - 1).endBlock();
        if (Long.compareUnsigned(end, newestStart) < 0) {
            throw new CorruptStoreException("block objects end at block " + Long.toUnsignedString(end) + ", but generation "
                    + Long.toUnsignedString(newest) + " started at block " + Long.toUnsignedString(newestStart)
                    + ": objects are missing");
        }
        return end;
    }
}
