package io.kivaloo.kvlds.page;

import io.kivaloo.proto.kvlds.Key;
import java.util.Arrays;

/**
 * A clean node: a validated, immutable page read from (or written to) lbs.
 * Keys are searched in place in the page bytes, so a cached node costs about
 * one block of memory. Only {@link PageValidator} creates pages, so every
 * page in memory has passed its checks.
 */
public abstract sealed class Page permits LeafPage, ParentPage {

    final long block;
    final byte[] bytes;
    final int height;
    final boolean root;
    final long nnodes;
    final int mlen;
    /** Serialized size without the zero padding, in bytes. */
    final int size;
    /** Offset of each key's (leaf) or separator's (parent) length byte. */
    final int[] keyOffsets;

    Page(long block, byte[] bytes, int height, boolean root, long nnodes, int mlen, int size, int[] keyOffsets) {
        this.block = block;
        this.bytes = bytes;
        this.height = height;
        this.root = root;
        this.nnodes = nnodes;
        this.mlen = mlen;
        this.size = size;
        this.keyOffsets = keyOffsets;
    }

    public long block() {
        return block;
    }

    public int height() {
        return height;
    }

    public boolean isLeaf() {
        return height == 0;
    }

    public boolean isRoot() {
        return root;
    }

    /** Number of nodes in the tree; meaningful on root pages only. */
    public long nnodes() {
        return nnodes;
    }

    /** Serialized size without padding: what a parent's descriptor records. */
    public int size() {
        return size;
    }

    /** Smallest block number of any leaf in this node's subtree. */
    public abstract long oldestLeaf();

    /** Keys of a leaf, separators of a parent. */
    public int keyCount() {
        return keyOffsets.length;
    }

    public Key key(int index) {
        int offset = keyOffsets[index];
        return Key.of(bytes, offset + 1, bytes[offset] & 0xff);
    }

    int keyLength(int index) {
        return bytes[keyOffsets[index]] & 0xff;
    }

    /** Compares key {@code index} with {@code key} in unsigned order. */
    public int compareKey(int index, Key key) {
        int offset = keyOffsets[index] + 1;
        byte[] k = key.unsafeBytes();
        return Arrays.compareUnsigned(bytes, offset, offset + (bytes[offset - 1] & 0xff), k, 0, k.length);
    }

    /** Index of the first key >= {@code key}, or keyCount() if none. */
    public int lowerBound(Key key) {
        int lo = 0;
        int hi = keyOffsets.length;
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (compareKey(mid, key) < 0) {
                lo = mid + 1;
            } else {
                hi = mid;
            }
        }
        return lo;
    }

    /** Index of the first key > {@code key}, or keyCount() if none. */
    public int upperBound(Key key) {
        int lo = 0;
        int hi = keyOffsets.length;
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (compareKey(mid, key) <= 0) {
                lo = mid + 1;
            } else {
                hi = mid;
            }
        }
        return lo;
    }

    /** A copy of the whole block, padding included: what was (or will be) stored. */
    public byte[] toBlock() {
        return bytes.clone();
    }

    @Override
    public String toString() {
        return getClass().getSimpleName() + "[block=" + Long.toUnsignedString(block) + ", height=" + height
                + ", keys=" + keyOffsets.length + ", size=" + size + (root ? ", root, nnodes=" + nnodes : "") + "]";
    }
}
