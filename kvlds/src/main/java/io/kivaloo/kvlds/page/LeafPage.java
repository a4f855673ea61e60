package io.kivaloo.kvlds.page;

import io.kivaloo.proto.kvlds.Key;
import java.util.Arrays;

/** A clean leaf: sorted unique keys and their values. */
public final class LeafPage extends Page {

    /** Offset of each value's length byte. */
    final int[] valueOffsets;

    LeafPage(long block, byte[] bytes, boolean root, long nnodes, int mlen, int size, int[] keyOffsets, int[] valueOffsets) {
        super(block, bytes, 0, root, nnodes, mlen, size, keyOffsets);
        this.valueOffsets = valueOffsets;
    }

    /** A leaf's oldest leaf is itself. */
    @Override
    public long oldestLeaf() {
        return block;
    }

    /** Index of {@code key}, or -(insertion point) - 1 when absent. */
    public int find(Key key) {
        int index = lowerBound(key);
        if (index < keyOffsets.length && compareKey(index, key) == 0) {
            return index;
        }
        return -index - 1;
    }

    public Key value(int index) {
        int offset = valueOffsets[index];
        return Key.of(bytes, offset + 1, bytes[offset] & 0xff);
    }

    public boolean valueEquals(int index, Key value) {
        int offset = valueOffsets[index] + 1;
        byte[] v = value.unsafeBytes();
        return Arrays.equals(bytes, offset, offset + (bytes[offset - 1] & 0xff), v, 0, v.length);
    }

    /** Bytes pair {@code index} counts in a page and against a RANGE budget. */
    public int pairSize(int index) {
        return PageFormat.pairSize(keyLength(index), bytes[valueOffsets[index]] & 0xff);
    }
}
