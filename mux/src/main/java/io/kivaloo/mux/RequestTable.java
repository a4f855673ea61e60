package io.kivaloo.mux;

import io.netty.util.collection.LongObjectHashMap;
import io.netty.util.collection.LongObjectMap;

import java.util.ArrayList;
import java.util.List;

/**
 * The ID map (DESIGN.md "ID mapping"): upstream request ID → (client
 * session, the client's own ID).
 *
 * <p>Upstream IDs are mux's own, sequential from 0 for the life of the
 * process and shared by all clients (mux.md §1.2), so they never collide
 * however the clients choose theirs: clients may reuse IDs, send them out of
 * order or use 0xFFFFFFFFFFFFFFFF. An entry lives from the moment its request
 * is written upstream until its response arrives or the upstream connection
 * is lost, whether or not the client is still there. Owned by the event loop:
 * no locks.
 */
final class RequestTable {

    /**
     * Where a response goes.
     *
     * @param session  the client that sent the request; null for mux's own PARAMS
     * @param clientId the ID the client chose, restored on the response
     */
    record Route(ClientSession session, long clientId) {
    }

    /**
     * Keyed by {@link #spread} of the upstream ID. The map probes linearly
     * from {@code id ^ id >>> 32}: sequential IDs would fill one contiguous
     * run of slots, and every removal shifts back through the whole run
     * (thousands of entries with a pipelining client: 94 % of mux's time in
     * {@code removeAt} under the C hotspot_read, before the spreading).
     */
    private final LongObjectMap<Route> routes = new LongObjectHashMap<>();
    /** Next upstream ID, unsigned; 2^64 requests would take centuries to wrap. */
    private long nextId;

    /** Records a request about to be sent upstream and returns its upstream ID. */
    long add(ClientSession session, long clientId) {
        long id = nextId++;
        routes.put(spread(id), new Route(session, clientId));
        return id;
    }

    /** The route for {@code upstreamId}, removed; null if mux never sent that ID (or it was answered). */
    Route remove(long upstreamId) {
        return routes.remove(spread(upstreamId));
    }

    /** Every route, removed: the upstream connection is gone and none of them will be answered. */
    List<Route> removeAll() {
        List<Route> all = new ArrayList<>(routes.values());
        routes.clear();
        return all;
    }

    /** Requests sent upstream and not answered yet. */
    int size() {
        return routes.size();
    }

    /** A bijection of the 64-bit IDs (splitmix64's finalizer) that scatters sequential ones. */
    static long spread(long id) {
        long x = id;
        x = (x ^ (x >>> 30)) * 0xbf58476d1ce4e5b9L;
        x = (x ^ (x >>> 27)) * 0x94d049bb133111ebL;
        return x ^ (x >>> 31);
    }

    /** The upstream ID the next request will get. */
    long nextId() {
        return nextId;
    }
}
