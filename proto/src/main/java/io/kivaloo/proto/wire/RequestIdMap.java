package io.kivaloo.proto.wire;

import io.netty.util.collection.LongObjectHashMap;
import io.netty.util.collection.LongObjectMap;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Requests in flight by their packet ID, for whoever numbers its requests
 * 0, 1, 2, ... (proto's client connection, mux's upstream table).
 *
 * <p>A ring indexed by the ID's low bits: with sequential IDs, the requests in
 * flight occupy a window of consecutive slots, a put and a remove each touch
 * one slot, and neighbouring requests share cache lines. When an ID's slot
 * still holds an older request, the ring doubles if it is at least half full
 * (up to {@code maxRingSlots}); otherwise, or at that size, the older request
 * moves to an overflow map. So the ring stays within twice the requests in
 * flight, and one request that stays unanswered for long (a large RANGE)
 * costs no more than itself instead of doubling the ring again and again. The overflow map scatters IDs by a
 * bijection before Netty's linearly probed map sees them: unscattered,
 * sequential IDs fill one run of slots and every removal shifts back through
 * it (94 % of mux's time under the C hotspot_read, before the ring; the
 * scattered map itself was still 20 % of mux's samples under the C
 * random_read).
 *
 * <p>Values must not be null. Not thread-safe: its owner's event loop only.
 */
public final class RequestIdMap<V> {

    private static final int FIRST_RING_SLOTS = 64;
    private static final int MAX_RING_SLOTS = 1 << 16;

    private final int maxRingSlots;
    private long[] ids = new long[FIRST_RING_SLOTS];
    private Object[] values = new Object[FIRST_RING_SLOTS];
    private int inRing;
    private final LongObjectMap<V> overflow = new LongObjectHashMap<>();

    public RequestIdMap() {
        this(MAX_RING_SLOTS);
    }

    /** @param maxRingSlots the ring's largest size, a power of two (tests use small ones to reach the overflow map) */
    RequestIdMap(int maxRingSlots) {
        if (Integer.bitCount(maxRingSlots) != 1 || maxRingSlots < FIRST_RING_SLOTS) {
            throw new IllegalArgumentException("maxRingSlots: " + maxRingSlots + " (expected: a power of two >= " + FIRST_RING_SLOTS + ")");
        }
        this.maxRingSlots = maxRingSlots;
    }

    /** Records {@code value} under {@code id}; returns what was there (a reused ID is a caller's bug). */
    public V put(long id, V value) {
        if (value == null) {
            throw new IllegalArgumentException("value: null");
        }
        V previous = overflow.isEmpty() ? null : overflow.remove(spread(id));
        while (true) {
            int slot = (int) id & (values.length - 1);
            Object occupant = values[slot];
            if (occupant == null || ids[slot] == id) {
                values[slot] = value;
                ids[slot] = id;
                if (occupant == null) {
                    inRing++;
                    return previous;
                }
                @SuppressWarnings("unchecked")
                V replaced = (V) occupant;
                return replaced;
            }
            if (values.length < maxRingSlots && inRing >= values.length / 2) {
                grow();
            } else {
                @SuppressWarnings("unchecked")
                V older = (V) occupant;
                overflow.put(spread(ids[slot]), older);
                values[slot] = null;
                inRing--;
            }
        }
    }

    /** The value for {@code id}, removed; null if there is none (never sent, or already answered). */
    public V remove(long id) {
        int slot = (int) id & (values.length - 1);
        Object occupant = values[slot];
        if (occupant != null && ids[slot] == id) {
            values[slot] = null;
            inRing--;
            @SuppressWarnings("unchecked")
            V found = (V) occupant;
            return found;
        }
        return overflow.isEmpty() ? null : overflow.remove(spread(id));
    }

    public int size() {
        return inRing + overflow.size();
    }

    public boolean isEmpty() {
        return size() == 0;
    }

    /** Every value, removed: what a closed connection must fail. */
    public List<V> removeAll() {
        List<V> all = new ArrayList<>(size());
        for (Object value : values) {
            if (value != null) {
                @SuppressWarnings("unchecked")
                V v = (V) value;
                all.add(v);
            }
        }
        all.addAll(overflow.values());
        Arrays.fill(values, null);
        inRing = 0;
        overflow.clear();
        return all;
    }

    /**
     * Doubles the ring. Entries that were in different slots stay in
     * different slots (an entry's new slot, modulo the old size, is its old
     * one), so every entry finds its place.
     */
    private void grow() {
        long[] oldIds = ids;
        Object[] oldValues = values;
        ids = new long[oldIds.length * 2];
        values = new Object[oldValues.length * 2];
        int mask = values.length - 1;
        for (int i = 0; i < oldValues.length; i++) {
            if (oldValues[i] != null) {
                int slot = (int) oldIds[i] & mask;
                values[slot] = oldValues[i];
                ids[slot] = oldIds[i];
            }
        }
    }

    /** A bijection of the 64-bit IDs (splitmix64's finalizer) that scatters sequential ones. */
    static long spread(long id) {
        long x = id;
        x = (x ^ (x >>> 30)) * 0xbf58476d1ce4e5b9L;
        x = (x ^ (x >>> 27)) * 0x94d049bb133111ebL;
        return x ^ (x >>> 31);
    }
}
