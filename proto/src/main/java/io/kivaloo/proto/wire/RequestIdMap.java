package io.kivaloo.proto.wire;

import io.netty.util.collection.LongObjectHashMap;
import io.netty.util.collection.LongObjectMap;

import java.util.ArrayList;
import java.util.List;

/**
 * Requests in flight by their packet ID, for whoever numbers its requests
 * 0, 1, 2, ... (proto's client connection, mux's upstream table).
 *
 * <p>Netty's {@link LongObjectHashMap} probes linearly from
 * {@code id ^ id >>> 32}: sequential IDs fill one contiguous run of slots,
 * and every removal shifts back through the whole run, so with thousands in
 * flight each answer costs thousands of probes (94 % of mux's time under the
 * C hotspot_read, 9.5 % of kvlds's under cleaning, in its lbs client). The
 * IDs are scattered by a bijection before they reach the map.
 *
 * <p>Not thread-safe: its owner's event loop only.
 */
public final class RequestIdMap<V> {

    private final LongObjectMap<V> map = new LongObjectHashMap<>();

    /** Records {@code value} under {@code id}; returns what was there (a reused ID is a caller's bug). */
    public V put(long id, V value) {
        return map.put(spread(id), value);
    }

    /** The value for {@code id}, removed; null if there is none (never sent, or already answered). */
    public V remove(long id) {
        return map.remove(spread(id));
    }

    public int size() {
        return map.size();
    }

    public boolean isEmpty() {
        return map.isEmpty();
    }

    /** Every value, removed: what a closed connection must fail. */
    public List<V> removeAll() {
        List<V> all = new ArrayList<>(map.values());
        map.clear();
        return all;
    }

    /** A bijection of the 64-bit IDs (splitmix64's finalizer) that scatters sequential ones. */
    static long spread(long id) {
        long x = id;
        x = (x ^ (x >>> 30)) * 0xbf58476d1ce4e5b9L;
        x = (x ^ (x >>> 27)) * 0x94d049bb133111ebL;
        return x ^ (x >>> 31);
    }
}
