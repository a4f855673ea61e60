package io.kivaloo.kvlds.btree;

import io.kivaloo.proto.kvlds.KvldsCodec;

/**
 * What one RANGE may hold while it runs (kvlds DESIGN.md "Memory bounds"):
 * its pairs count their wire bytes plus {@value #PAIR_OBJECT_BYTES} for the
 * Java objects that carry them, and a scan stops, once it has one pair,
 * before that sum would pass {@link KvldsCodec#MAX_RANGE_PAIR_BYTES}. Without
 * the object term, a leaf of 2-byte pairs (empty keys and values) would cost
 * some 30 times its wire size in heap.
 */
public final class RangeBudget {

    /**
     * Heap per returned pair besides its bytes: the Pair record, two Keys and
     * their arrays' headers, and a list slot (about 80 bytes with compressed
     * oops; a little more is counted).
     */
    public static final int PAIR_OBJECT_BYTES = 96;

    /** Smallest wire size of a pair: two empty strings. */
    private static final int MIN_PAIR_BYTES = 2;

    /** Largest wire size of a pair: two 255-byte strings. */
    private static final int MAX_PAIR_BYTES = 2 + 2 * 255;

    private RangeBudget() {
    }

    /** Counted bytes of one pair of {@code wireBytes}. */
    static long heldBytes(int wireBytes) {
        return wireBytes + PAIR_OBJECT_BYTES;
    }

    /**
     * The most a RANGE asking for {@code maxBytes} of pairs can hold while it
     * runs: at most maxBytes plus one pair of wire bytes, each pair counted
     * with its objects, never above the scan's bound (plus the one pair a scan
     * always takes).
     */
    public static long heldBound(long maxBytes) {
        long wire = Math.min(maxBytes, KvldsCodec.MAX_RANGE_PAIR_BYTES) + MAX_PAIR_BYTES;
        long pairs = wire / MIN_PAIR_BYTES;
        return Math.min(wire + pairs * PAIR_OBJECT_BYTES, KvldsCodec.MAX_RANGE_PAIR_BYTES + heldBytes(MAX_PAIR_BYTES));
    }
}
