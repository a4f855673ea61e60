package io.kivaloo.mux;

import io.kivaloo.proto.wire.RequestIdMap;

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
     * @param charge   bytes the client was charged for the answer ({@link AnswerBudget})
     */
    record Route(ClientSession session, long clientId, long charge) {
    }

    /**
     * By upstream ID. proto's map scatters the sequential IDs before they
     * reach Netty's linearly probed map: unscattered, every removal shifted
     * back through the run of all requests in flight (94 % of mux's time
     * under the C hotspot_read).
     */
    private final RequestIdMap<Route> routes = new RequestIdMap<>();
    /** Next upstream ID, unsigned; 2^64 requests would take centuries to wrap. */
    private long nextId;

    /** Records a request about to be sent upstream and returns its upstream ID. */
    long add(ClientSession session, long clientId, long charge) {
        long id = nextId++;
        routes.put(id, new Route(session, clientId, charge));
        return id;
    }

    /** The route for {@code upstreamId}, removed; null if mux never sent that ID (or it was answered). */
    Route remove(long upstreamId) {
        return routes.remove(upstreamId);
    }

    /** Every route, removed: the upstream connection is gone and none of them will be answered. */
    List<Route> removeAll() {
        return routes.removeAll();
    }

    /** Requests sent upstream and not answered yet. */
    int size() {
        return routes.size();
    }

    /** The upstream ID the next request will get. */
    long nextId() {
        return nextId;
    }
}
