package io.kivaloo.kvlds.cache;

import io.kivaloo.kvlds.page.Page;

/**
 * A fixed number of frames holding pages, found by block number through an
 * open-addressing table of primitive longs, and replaced by CLOCK (second
 * chance): a lookup only sets the frame's reference bit, and a put into a
 * full table sweeps the hand past referenced frames, clearing their bits,
 * to the first unreferenced one.
 *
 * <p>Why not a {@code LinkedHashMap} in access order: on every hit it boxes
 * the block number, hashes it through the entry objects and relinks the
 * entry at the head of a list, touching cold memory several times; with
 * tens of thousands of pages that was a quarter of a GET's time. Here a hit
 * reads two arrays and writes one byte. CLOCK approximates LRU closely
 * enough for a B+tree's access pattern: inner pages are touched by every
 * descent and never reach the hand unreferenced.
 *
 * <p>Owner thread only.
 */
final class PageTable {

    /** Marks an empty index slot (frame numbers are stored plus one). */
    private static final int EMPTY = 0;

    private final int capacity;
    private final Page[] frames;
    private final long[] frameBlocks;
    private final boolean[] referenced;
    /** Open addressing, linear probing: frame number + 1 per slot, {@link #EMPTY} when free. */
    private final int[] index;
    private final int mask;
    private int size;
    private int hand;

    /** @param capacity frames; at least 1 */
    PageTable(int capacity) {
        if (capacity < 1) {
            throw new IllegalArgumentException("page table capacity " + capacity);
        }
        this.capacity = capacity;
        this.frames = new Page[capacity];
        this.frameBlocks = new long[capacity];
        this.referenced = new boolean[capacity];
        // At most half full, so that probe runs stay short.
        int slots = Integer.highestOneBit(Math.max(2, capacity) * 2 - 1) << 1;
        this.index = new int[slots];
        this.mask = slots - 1;
    }

    int size() {
        return size;
    }

    /** The page of {@code block}, marked as used, or null. */
    Page get(long block) {
        int slot = slotOf(block);
        while (true) {
            int entry = index[slot];
            if (entry == EMPTY) {
                return null;
            }
            int frame = entry - 1;
            if (frameBlocks[frame] == block) {
                referenced[frame] = true;
                return frames[frame];
            }
            slot = (slot + 1) & mask;
        }
    }

    /** Adds (or replaces) the page of its block, evicting one page if the table is full. */
    void put(Page page) {
        long block = page.block();
        int slot = slotOf(block);
        while (true) {
            int entry = index[slot];
            if (entry == EMPTY) {
                break;
            }
            if (frameBlocks[entry - 1] == block) {
                frames[entry - 1] = page;
                referenced[entry - 1] = true;
                return;
            }
            slot = (slot + 1) & mask;
        }
        int frame;
        if (size < capacity) {
            frame = size++;
        } else {
            frame = victim();
            removeFromIndex(frameBlocks[frame]);
            // The eviction may have shifted entries into the run that ends at our free slot: find it again.
            slot = freeSlotFor(block);
        }
        frames[frame] = page;
        frameBlocks[frame] = block;
        referenced[frame] = true;
        index[slot] = frame + 1;
    }

    /** Drops up to {@code count} pages the hand reaches first, referenced or not (tests force page-ins). */
    void evict(int count) {
        for (int i = 0; i < count && size > 0; i++) {
            int frame = hand % size;
            removeFrame(frame);
            hand = size == 0 ? 0 : frame % size;
        }
    }

    /** Drops the page of {@code block} if it is here; returns whether it was. */
    boolean remove(long block) {
        int slot = slotOf(block);
        while (true) {
            int entry = index[slot];
            if (entry == EMPTY) {
                return false;
            }
            if (frameBlocks[entry - 1] == block) {
                removeFrame(entry - 1);
                if (hand >= size) {
                    hand = 0;
                }
                return true;
            }
            slot = (slot + 1) & mask;
        }
    }

    private void removeFrame(int frame) {
        removeFromIndex(frameBlocks[frame]);
        // Keep frames dense: move the last frame into the hole.
        int last = size - 1;
        if (frame != last) {
            moveFrame(last, frame);
        }
        frames[last] = null;
        size--;
    }

    /** The next unreferenced frame under the hand, clearing reference bits on the way. */
    private int victim() {
        while (true) {
            int frame = hand;
            hand = hand + 1 == capacity ? 0 : hand + 1;
            if (referenced[frame]) {
                referenced[frame] = false;
            } else {
                return frame;
            }
        }
    }

    private void moveFrame(int from, int to) {
        long block = frameBlocks[from];
        int slot = slotOf(block);
        while (index[slot] != from + 1) {
            slot = (slot + 1) & mask;
        }
        index[slot] = to + 1;
        frames[to] = frames[from];
        frameBlocks[to] = block;
        referenced[to] = referenced[from];
    }

    private int freeSlotFor(long block) {
        int slot = slotOf(block);
        while (index[slot] != EMPTY) {
            slot = (slot + 1) & mask;
        }
        return slot;
    }

    /** Removes the index entry of {@code block} by backward shifting, so that no tombstones are needed. */
    private void removeFromIndex(long block) {
        int slot = slotOf(block);
        while (frameBlocks[index[slot] - 1] != block) {
            slot = (slot + 1) & mask;
        }
        int hole = slot;
        int next = (hole + 1) & mask;
        while (index[next] != EMPTY) {
            int home = slotOf(frameBlocks[index[next] - 1]);
            // Move the entry back into the hole unless its home lies cyclically in (hole, next].
            boolean homeBetween = hole <= next ? (home > hole && home <= next) : (home > hole || home <= next);
            if (!homeBetween) {
                index[hole] = index[next];
                hole = next;
            }
            next = (next + 1) & mask;
        }
        index[hole] = EMPTY;
    }

    private int slotOf(long block) {
        // Block numbers are dense and sequential: mix them so runs do not cluster.
        long h = block * 0x9E3779B97F4A7C15L;
        return (int) (h >>> 32) & mask;
    }
}
