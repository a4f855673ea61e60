package io.kivaloo.lbss3.store;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentSkipListMap;

/**
 * Which object holds which block: the live objects by first block (unsigned
 * order), plus nextBlock. Readers look blocks up without locking; only the
 * writer adds (at the end) and only the deleter removes (at the front).
 *
 * <p>An object is added before nextBlock moves past it, and nextBlock is
 * volatile, so a reader that sees a block below nextBlock finds its object
 * (unless a FREE has removed it since: then "absent").
 */
final class ObjectIndex {

    private final ConcurrentSkipListMap<Long, StoredObject> objects = new ConcurrentSkipListMap<>(Long::compareUnsigned);
    private volatile long nextBlock;

    ObjectIndex(List<StoredObject> live, long nextBlock) {
        for (StoredObject object : live) {
            objects.put(object.firstBlock(), object);
        }
        this.nextBlock = nextBlock;
    }

    long nextBlock() {
        return nextBlock;
    }

    /** The first block still held, nextBlock if none. */
    long minBlock() {
        Map.Entry<Long, StoredObject> first = objects.firstEntry();
        return first == null ? nextBlock : first.getKey();
    }

    int size() {
        return objects.size();
    }

    /** The object holding {@code block}, or null (below the oldest object, at or past nextBlock, freed). */
    StoredObject find(long block) {
        if (Long.compareUnsigned(block, nextBlock) >= 0) {
            return null;
        }
        Map.Entry<Long, StoredObject> floor = objects.floorEntry(block);
        return floor != null && floor.getValue().holds(block) ? floor.getValue() : null;
    }

    /** Whether {@code object} is still live (a FREE has not removed it). */
    boolean contains(StoredObject object) {
        return objects.get(object.firstBlock()) == object;
    }

    /** The writer's step after the object is durable: the object, then nextBlock. */
    void append(StoredObject object) {
        objects.put(object.firstBlock(), object);
        nextBlock = object.endBlock();
    }

    StoredObject oldest() {
        Map.Entry<Long, StoredObject> first = objects.firstEntry();
        return first == null ? null : first.getValue();
    }

    /** The deleter's step before it deletes the object: from here on its blocks read as absent. */
    void removeOldest(StoredObject object) {
        if (!objects.remove(object.firstBlock(), object)) {
            throw new IllegalStateException("not the oldest live object: " + object);
        }
    }
}
