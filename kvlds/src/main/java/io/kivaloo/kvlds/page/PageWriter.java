package io.kivaloo.kvlds.page;

import io.kivaloo.proto.kvlds.Key;
import java.util.List;

/**
 * Serializes a node into a block in the format of {@link PageFormat}. The
 * destination must be zero from {@code offset} for a block's length, since
 * the padding is not written.
 */
public final class PageWriter {

    private PageWriter() {
    }

    /**
     * @param nnodes written on root pages only (rootNnodes > 0 marks the root)
     * @return the serialized size, without padding
     */
    public static int writeLeaf(byte[] dst, int offset, List<Key> keys, List<Key> values, int mlen, long rootNnodes) {
        int p = writeHeader(dst, offset, keys.size(), 0, mlen, rootNnodes);
        for (Key k : keys) {
            p = writeString(dst, p, k);
        }
        for (Key v : values) {
            p = writeString(dst, p, v);
        }
        return p - offset;
    }

    /**
     * Writes leaf {@code base} with {@code edits} applied: each edit key sorted,
     * with its new value, or none when its pair is deleted. The pairs of
     * {@code base} between edits are copied as runs of bytes (keys, then
     * values, lie back to back in a page), so only the edits are written one
     * by one.
     *
     * @param nkeys the pairs once edited
     * @return the serialized size, without padding
     */
    public static int writeLeafEdited(byte[] dst, LeafPage base, Key[] editKeys, Key[] editValues, int edits, int nkeys,
                                      int mlen, long rootNnodes) {
        int n = base.keyCount();
        // Where each edit falls among the page's keys, and whether it replaces the key there.
        int[] at = new int[edits];
        boolean[] replaces = new boolean[edits];
        for (int e = 0; e < edits; e++) {
            at[e] = base.lowerBound(editKeys[e]);
            replaces[e] = at[e] < n && base.compareKey(at[e], editKeys[e]) == 0;
        }
        int keysEnd = n == 0 ? 0 : base.valueOffsets[0];
        int valuesEnd = base.size();
        int p = writeHeader(dst, 0, nkeys, 0, mlen, rootNnodes);
        p = writeMerged(dst, p, base.bytes, base.keyOffsets, keysEnd, at, replaces, editKeys, editValues, edits);
        return writeMerged(dst, p, base.bytes, base.valueOffsets, valuesEnd, at, replaces, editValues, editValues, edits);
    }

    /**
     * One half of an edited leaf, its keys or its values: the page's strings
     * at {@code offsets} (the last ending at {@code end}) with edit {@code e}'s
     * string {@code written[e]} at {@code at[e]}, replacing the page's there
     * when {@code replaces[e]}, left out when the edit deletes.
     */
    private static int writeMerged(byte[] dst, int p, byte[] src, int[] offsets, int end, int[] at, boolean[] replaces,
                                   Key[] written, Key[] editValues, int edits) {
        int i = 0;
        for (int e = 0; e < edits; e++) {
            p = copyRun(src, offsets, i, at[e], end, dst, p);
            i = replaces[e] ? at[e] + 1 : at[e];
            if (editValues[e] != null) {
                p = writeString(dst, p, written[e]);
            }
        }
        return copyRun(src, offsets, i, offsets.length, end, dst, p);
    }

    /** Copies strings {@code from} to {@code to} (exclusive), which lie back to back, the last ending at {@code end} when it is the page's last. */
    private static int copyRun(byte[] src, int[] offsets, int from, int to, int end, byte[] dst, int p) {
        if (from >= to) {
            return p;
        }
        int start = offsets[from];
        int stop = to < offsets.length ? offsets[to] : end;
        System.arraycopy(src, start, dst, p, stop - start);
        return p + stop - start;
    }

    /** Writes a parent; child i is {@code blocks[i], oldest[i], sizes[i]}. */
    public static int writeParent(byte[] dst, int offset, int height, List<Key> separators, long[] blocks, long[] oldest,
                                  int[] sizes, int mlen, long rootNnodes) {
        if (height < 1 || height > PageFormat.MAX_HEIGHT) {
            throw new IllegalArgumentException("height: " + height + " (expected: 1.." + PageFormat.MAX_HEIGHT + ")");
        }
        int p = writeHeader(dst, offset, separators.size(), height, mlen, rootNnodes);
        for (Key s : separators) {
            p = writeString(dst, p, s);
        }
        for (int i = 0; i < separators.size() + 1; i++) {
            p = writeLong(dst, p, blocks[i]);
            p = writeLong(dst, p, oldest[i]);
            dst[p] = (byte) (sizes[i] >>> 24);
            dst[p + 1] = (byte) (sizes[i] >>> 16);
            dst[p + 2] = (byte) (sizes[i] >>> 8);
            dst[p + 3] = (byte) sizes[i];
            p += 4;
        }
        return p - offset;
    }

    /** The page of an empty tree: a root leaf with no keys and nnodes = 1 (kvlds.md §8). */
    public static byte[] emptyRoot(int blockSize) {
        byte[] page = new byte[blockSize];
        writeLeaf(page, 0, List.of(), List.of(), 0, 1);
        return page;
    }

    private static int writeHeader(byte[] dst, int offset, int nkeys, int height, int mlen, long rootNnodes) {
        if (nkeys > PageFormat.MAX_KEYS) {
            throw new IllegalArgumentException("nkeys: " + nkeys + " (expected: <= " + PageFormat.MAX_KEYS + ")");
        }
        System.arraycopy(PageFormat.MAGIC, 0, dst, offset, PageFormat.MAGIC.length);
        dst[offset + PageFormat.NKEYS_OFFSET] = (byte) (nkeys >>> 8);
        dst[offset + PageFormat.NKEYS_OFFSET + 1] = (byte) nkeys;
        dst[offset + PageFormat.HEIGHT_OFFSET] = (byte) (height | (rootNnodes > 0 ? PageFormat.ROOT_FLAG : 0));
        dst[offset + PageFormat.MLEN_OFFSET] = (byte) mlen;
        int p = offset + PageFormat.HEADER;
        if (rootNnodes > 0) {
            p = writeLong(dst, p, rootNnodes);
        }
        return p;
    }

    private static int writeString(byte[] dst, int p, Key s) {
        dst[p] = (byte) s.length();
        s.copyTo(dst, p + 1);
        return p + 1 + s.length();
    }

    private static int writeLong(byte[] dst, int p, long v) {
        for (int i = 0; i < 8; i++) {
            dst[p + i] = (byte) (v >>> (56 - 8 * i));
        }
        return p + 8;
    }
}
