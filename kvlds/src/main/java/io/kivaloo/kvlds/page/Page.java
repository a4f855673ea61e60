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
    /**
     * Length of the prefix that every key of the page shares: the common
     * prefix of the first and the last key, since they are sorted. Often
     * longer than mlen, which only covers what the node's range shares.
     */
    private final int shared;
    /**
     * Parents only: each separator's eight bytes after the shared prefix, as
     * {@link UnsignedBytes#longAt} reads them. Every descent searches several parents
     * and parents are a twentieth of the pages, so there the array pays for
     * itself (14 against 25 ns a search); a leaf reads them from its bytes
     * instead, which keeps a cached leaf's cost at its bytes plus two ints a
     * pair.
     */
    private final long[] abbreviations;

    Page(long block, byte[] bytes, int height, boolean root, long nnodes, int mlen, int size, int[] keyOffsets) {
        this.block = block;
        this.bytes = bytes;
        this.height = height;
        this.root = root;
        this.nnodes = nnodes;
        this.mlen = mlen;
        this.size = size;
        this.keyOffsets = keyOffsets;
        this.shared = sharedPrefix(bytes, keyOffsets);
        if (height > 0) {
            abbreviations = new long[keyOffsets.length];
            for (int i = 0; i < keyOffsets.length; i++) {
                abbreviations[i] = abbreviationAt(i);
            }
        } else {
            abbreviations = null;
        }
    }

    private static int sharedPrefix(byte[] bytes, int[] keyOffsets) {
        int n = keyOffsets.length;
        if (n == 0) {
            return 0;
        }
        int first = keyOffsets[0] + 1;
        int last = keyOffsets[n - 1] + 1;
        int firstEnd = first + (bytes[first - 1] & 0xff);
        int lastEnd = last + (bytes[last - 1] & 0xff);
        int m = Arrays.mismatch(bytes, first, firstEnd, bytes, last, lastEnd);
        return m < 0 ? firstEnd - first : m;
    }

    /** Key {@code index}'s eight bytes after the shared prefix. */
    private long abbreviationAt(int index) {
        int offset = keyOffsets[index] + 1;
        return UnsignedBytes.longAt(bytes, offset + shared, offset + (bytes[offset - 1] & 0xff));
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
        return UnsignedBytes.compare(bytes, offset, offset + (bytes[offset - 1] & 0xff), k, 0, k.length);
    }

    /** Index of the first key >= {@code key}, or keyCount() if none. */
    public int lowerBound(Key key) {
        return search(key, false);
    }

    /** Index of the first key > {@code key}, or keyCount() if none. */
    public int upperBound(Key key) {
        return search(key, true);
    }

    /**
     * Binary search that compares eight bytes at a time as one long. A key
     * that differs from the shared prefix sorts before or after every key of
     * the page, so that prefix is compared once; below it, each step reads the
     * next eight bytes of the page's key as a big-endian long (zero-padded
     * past its end, where the shorter key sorts first too) and only a tie
     * compares the rest. The benchmark's keys start with the same 8-byte group
     * number, and a byte-array comparison's set-up at every step was 39 % of
     * a cached GET.
     */
    private int search(Key key, boolean upper) {
        int n = keyOffsets.length;
        if (n == 0) {
            return 0;
        }
        byte[] k = key.unsafeBytes();
        int first = keyOffsets[0] + 1;
        int prefix = Math.min(shared, k.length);
        int outside = UnsignedBytes.compare(k, 0, prefix, bytes, first, first + prefix);
        if (outside != 0) {
            return outside < 0 ? 0 : n;
        }
        if (k.length < shared) {
            return 0; // a proper prefix of every key
        }
        long abbreviation = UnsignedBytes.longAt(k, shared, k.length);
        int lo = 0;
        int hi = n;
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            int c = Long.compareUnsigned(abbreviations != null ? abbreviations[mid] : abbreviationAt(mid), abbreviation);
            if (c == 0) {
                int offset = keyOffsets[mid] + 1;
                c = UnsignedBytes.compare(bytes, offset + shared, offset + (bytes[offset - 1] & 0xff), k, shared, k.length);
            }
            if (c < 0 || (upper && c == 0)) {
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
