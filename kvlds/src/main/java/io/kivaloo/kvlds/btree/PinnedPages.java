package io.kivaloo.kvlds.btree;

import io.kivaloo.kvlds.page.Page;
import java.util.Arrays;

/**
 * The clean pages one batch holds, by block number: an open-addressing table
 * of primitive longs that only grows.
 *
 * <p>Why not a {@code HashMap<Long, Page>}: every descent of the load phase
 * records each page it passes, so a batch of a few thousand random SETs makes
 * tens of thousands of puts, nearly all of blocks already held (the root and
 * the upper parents). Boxing each block and chasing entry and key objects to
 * compare them was a fifth of kvlds's CPU under random_mixed (JFR: the samples
 * sat in {@code Long.equals} under {@code HashMap.putVal}); here a repeated put
 * reads two arrays.
 *
 * <p>Owner thread only.
 */
final class PinnedPages {

    private long[] blocks;
    private Page[] pages;
    private int mask;
    private int size;

    PinnedPages() {
        allocate(256);
    }

    /** The page of {@code block}, or null. */
    Page get(long block) {
        for (int slot = slotOf(block); ; slot = (slot + 1) & mask) {
            Page page = pages[slot];
            if (page == null || blocks[slot] == block) {
                return page;
            }
        }
    }

    /** Holds {@code page} under its block (replacing a page held there). */
    void put(Page page) {
        long block = page.block();
        int slot = slotOf(block);
        while (pages[slot] != null) {
            if (blocks[slot] == block) {
                pages[slot] = page;
                return;
            }
            slot = (slot + 1) & mask;
        }
        blocks[slot] = block;
        pages[slot] = page;
        // At most half full, so that probe runs stay short.
        if (++size > (mask + 1) / 2) {
            grow();
        }
    }

    int size() {
        return size;
    }

    private void grow() {
        long[] oldBlocks = blocks;
        Page[] oldPages = pages;
        allocate(oldPages.length * 2);
        size = 0;
        for (int i = 0; i < oldPages.length; i++) {
            if (oldPages[i] != null) {
                put(oldPages[i]);
            }
        }
    }

    private void allocate(int slots) {
        blocks = new long[slots];
        pages = new Page[slots];
        mask = slots - 1;
    }

    private int slotOf(long block) {
        // Fibonacci hashing: consecutive blocks spread over the table.
        return (int) ((block * 0x9E3779B97F4A7C15L) >>> 40) & mask;
    }
}
