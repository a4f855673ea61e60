package io.kivaloo.kvlds.btree;

import io.kivaloo.kvlds.page.CorruptPageException;
import io.kivaloo.kvlds.page.Page;
import io.kivaloo.kvlds.page.PageValidator;
import io.kivaloo.kvlds.page.PageWriter;
import io.kivaloo.proto.kvlds.Key;
import java.util.Arrays;

/**
 * A batch's sync phase (the C kvlds's btree_sync): serializes the dirty nodes
 * post-order, so every parent follows its children and the root comes last,
 * at the blocks from the batch's head on, filling in each dirty slot's
 * descriptor (block, oldest leaf, size) as its child is written; then checks
 * every page as if read back from lbs.
 */
final class BatchSync {

    private final DirtyTree dirty;
    private final int blockSize;
    /**
     * One array per page, written in place and kept as the page's own bytes:
     * the cache holds each page alone, and lbs receives them without their
     * being joined (a batch's pages are megabytes; see {@link io.kivaloo.proto.wire.GatheredPacket}).
     */
    private final byte[][] blocks;
    private int written;

    private BatchSync(DirtyTree dirty, int blockSize, int count) {
        this.dirty = dirty;
        this.blockSize = blockSize;
        this.blocks = new byte[count][];
    }

    /**
     * Writes the dirty tree's pages and checks them. Our own pages pass the
     * same checks as pages read back later, and before the APPEND: once a bad
     * page is durable as the newest root, every restart stops at it.
     *
     * @throws CorruptPageException when a page kvlds wrote fails the checks
     */
    static WrittenPages write(DirtyTree dirty, int blockSize, PageValidator validator) throws CorruptPageException {
        BatchSync sync = new BatchSync(dirty, blockSize, countDirty(dirty.root));
        sync.writeInto(dirty.root, null, null, true, null);
        return new WrittenPages(dirty.head, sync.blocks, sync.check(validator));
    }

    private static int countDirty(DirtyNode node) {
        int count = 1;
        if (node instanceof DirtyParent p) {
            for (Slot s : p.children) {
                if (s.isDirty()) {
                    count += countDirty(s.dirty);
                }
            }
        }
        return count;
    }

    /** Writes {@code node}'s dirty subtree, children first; fills in the descriptor of {@code slot} (null for the root). */
    private void writeInto(DirtyNode node, Key low, Key high, boolean isRoot, Slot slot) {
        int mlen = low == null || high == null ? 0 : commonPrefix(low, high);
        long rootNnodes = isRoot ? dirty.nnodes : 0;
        long firstBlock = dirty.head;
        int size;
        long oldest;
        if (node instanceof DirtyParent p) {
            int n = p.children.size();
            long[] blocks = new long[n];
            long[] oldestLeaves = new long[n];
            int[] sizes = new int[n];
            oldest = -1L;
            for (int i = 0; i < n; i++) {
                Slot s = p.children.get(i);
                if (s.isDirty()) {
                    writeInto(s.dirty, DirtyTree.lowOf(p, i, low), DirtyTree.highOf(p, i, high), false, s);
                }
                blocks[i] = s.block;
                oldestLeaves[i] = s.oldestLeaf;
                sizes[i] = s.size;
                if (Long.compareUnsigned(s.oldestLeaf, oldest) < 0) {
                    oldest = s.oldestLeaf;
                }
            }
            size = PageWriter.writeParent(nextBlock(), 0, p.height, p.separators, blocks, oldestLeaves, sizes, mlen, rootNnodes);
        } else {
            DirtyLeaf leaf = (DirtyLeaf) node;
            size = leaf.write(nextBlock(), mlen, rootNnodes);
            oldest = firstBlock + written;
        }
        long block = firstBlock + written;
        written++;
        if (slot != null) {
            slot.block = block;
            slot.oldestLeaf = oldest;
            slot.size = size;
            slot.dirty = null;
        }
    }

    /** A fresh array for the page about to be written, {@link #written} being its index. */
    private byte[] nextBlock() {
        byte[] block = new byte[blockSize];
        blocks[written] = block;
        return block;
    }

    private static int commonPrefix(Key a, Key b) {
        int m = Arrays.mismatch(a.unsafeBytes(), b.unsafeBytes());
        return m < 0 ? a.length() : m;
    }

    /**
     * Parses every written page with the full checks; the pages to commit once
     * lbs acknowledges them. Each parses its array as it is (no copy): nothing
     * writes to it again.
     */
    private Page[] check(PageValidator validator) throws CorruptPageException {
        Page[] checked = new Page[written];
        long end = dirty.head + written;
        for (int i = 0; i < written; i++) {
            checked[i] = validator.parse(dirty.head + i, blocks[i], end);
        }
        return checked;
    }
}
