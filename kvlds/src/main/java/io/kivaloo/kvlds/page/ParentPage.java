package io.kivaloo.kvlds.page;

import io.kivaloo.proto.kvlds.Key;

/**
 * A clean parent: N separators and N+1 child descriptors. Child i holds the
 * keys k with sep[i-1] <= k < sep[i]; a key equal to a separator goes right.
 */
public final class ParentPage extends Page {

    private final long[] childBlocks;
    private final long[] childOldestLeaves;
    private final int[] childSizes;
    private final long oldestLeaf;

    ParentPage(long block, byte[] bytes, int height, boolean root, long nnodes, int mlen, int size, int[] keyOffsets,
               long[] childBlocks, long[] childOldestLeaves, int[] childSizes) {
        super(block, bytes, height, root, nnodes, mlen, size, keyOffsets);
        this.childBlocks = childBlocks;
        this.childOldestLeaves = childOldestLeaves;
        this.childSizes = childSizes;
        long oldest = -1L;
        for (long o : childOldestLeaves) {
            if (Long.compareUnsigned(o, oldest) < 0) {
                oldest = o;
            }
        }
        this.oldestLeaf = oldest;
    }

    @Override
    public long oldestLeaf() {
        return oldestLeaf;
    }

    public int childCount() {
        return childBlocks.length;
    }

    /** The child whose key range holds {@code key}. */
    public int childIndex(Key key) {
        return upperBound(key);
    }

    public long childBlock(int index) {
        return childBlocks[index];
    }

    public long childOldestLeaf(int index) {
        return childOldestLeaves[index];
    }

    public int childSize(int index) {
        return childSizes[index];
    }

    /** What this page says about child {@code index}, given this page's own bounds. */
    public PageExpectation expectation(int index, Key low, Key high) {
        Key childLow = index == 0 ? low : key(index - 1);
        Key childHigh = index == keyCount() ? high : key(index);
        return new PageExpectation(block, height - 1, childLow, childHigh, childOldestLeaves[index], childSizes[index]);
    }
}
