package io.kivaloo.proto.client;

import io.kivaloo.proto.kvlds.Key;
import io.kivaloo.proto.kvlds.KvldsCodec;
import io.kivaloo.proto.kvlds.KvldsRequest;
import io.kivaloo.proto.kvlds.KvldsResponse;
import io.kivaloo.proto.net.KivalooAddress;
import io.kivaloo.proto.net.Transport;
import io.netty.channel.EventLoopGroup;

import java.time.Duration;
import java.util.Spliterator;
import java.util.Spliterators;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import java.util.stream.StreamSupport;

/**
 * Asynchronous, pipelined client of the KVLDS protocol (kvlds.md §2), for a
 * kvlds or a mux in front of one. Threading as in {@link ClientConnection}:
 * futures complete on the connection's event loop, so callbacks chained to
 * them must not block.
 *
 * <h2>Limits</h2>
 * Before its first SET, CAS, ADD or MODIFY the client asks PARAMS, and it
 * checks every such request against the answer before sending it: an
 * oversize request fails alone with {@link OversizeRequestException}, where
 * sending it would make kvlds drop the connection and everything in flight
 * on it. Requests made while PARAMS is out wait for it, in order.
 *
 * <h2>Timeouts</h2>
 * None by default: a request waits until it is answered or the connection
 * is lost. {@link #withRequestTimeout} gives a view whose futures fail with
 * {@link java.util.concurrent.TimeoutException} after a deadline. A request
 * that timed out was still sent and may still take effect.
 *
 * <h2>Connection loss</h2>
 * The client does not reconnect. When the connection is lost every request
 * in flight and every later one fails with {@link ConnectionClosedException};
 * none is replayed, since its outcome is unknown (a SET may have been
 * applied). Connect a new client and decide what to resend; through mux,
 * mux itself reconnects to kvlds and the client connection survives.
 */
public final class KvldsClient implements AutoCloseable {

    /** The protocol's longest answer, a whole RANGE (kvlds's scan bound and this limit are one constant). */
    static final int MAX_RESPONSE_LENGTH = KvldsCodec.MAX_RESPONSE_LENGTH;

    private final ClientConnection connection;
    private final LimitGate gate;
    /** Per-request deadline in nanoseconds; 0: none. */
    private final long timeoutNanos;

    private KvldsClient(ClientConnection connection) {
        this.connection = connection;
        this.gate = new LimitGate(() -> connection.send(KvldsCodec.encodeRequest(new KvldsRequest.Params()),
                r -> (KvldsResponse.Params) KvldsCodec.decodeResponse(new KvldsRequest.Params(), r)));
        this.timeoutNanos = 0;
    }

    private KvldsClient(KvldsClient base, long timeoutNanos) {
        this.connection = base.connection;
        this.gate = base.gate;
        this.timeoutNanos = timeoutNanos;
    }

    /** Connects on {@code group}, which the caller keeps owning. */
    public static CompletableFuture<KvldsClient> connect(KivalooAddress address, EventLoopGroup group, Transport transport) {
        return ClientConnection.connect(address, group, transport, MAX_RESPONSE_LENGTH).thenApply(KvldsClient::new);
    }

    /** Connects on an event loop of its own, shut down by {@link #close()}. */
    public static CompletableFuture<KvldsClient> connect(KivalooAddress address) {
        return ClientConnection.connect(address, "kvlds-client", MAX_RESPONSE_LENGTH).thenApply(KvldsClient::new);
    }

    /**
     * The same connection, with every request made through the returned view
     * failing with {@link java.util.concurrent.TimeoutException} if it is not
     * answered within {@code timeout}. Closing either closes the connection.
     */
    public KvldsClient withRequestTimeout(Duration timeout) {
        if (timeout.isNegative() || timeout.isZero()) {
            throw new IllegalArgumentException("request timeout: " + timeout + " (expected: > 0)");
        }
        return new KvldsClient(this, timeout.toNanos());
    }

    /** The server's limits, the PARAMS answer this client checks requests against (asked once). */
    public CompletableFuture<KvldsResponse.Params> limits() {
        return gate.limits();
    }

    /** Sends any request and returns the typed response. */
    public CompletableFuture<KvldsResponse> request(KvldsRequest request) {
        CompletableFuture<KvldsResponse> answer = gate.submit(request,
                () -> connection.send(KvldsCodec.encodeRequest(request), r -> KvldsCodec.decodeResponse(request, r)));
        return timeoutNanos == 0 ? answer : answer.orTimeout(timeoutNanos, TimeUnit.NANOSECONDS);
    }

    public CompletableFuture<KvldsResponse.Params> params() {
        return request(new KvldsRequest.Params()).thenApply(r -> (KvldsResponse.Params) r);
    }

    public CompletableFuture<Void> set(Key key, Key value) {
        return request(new KvldsRequest.Set(key, value)).thenApply(r -> null);
    }

    /** True if the value was {@code oldValue} and is now {@code value}. */
    public CompletableFuture<Boolean> cas(Key key, Key oldValue, Key value) {
        return status(new KvldsRequest.Cas(key, oldValue, value));
    }

    /** True if the key was absent and now holds {@code value}. */
    public CompletableFuture<Boolean> add(Key key, Key value) {
        return status(new KvldsRequest.Add(key, value));
    }

    /** True if the key was present and now holds {@code value}. */
    public CompletableFuture<Boolean> modify(Key key, Key value) {
        return status(new KvldsRequest.Modify(key, value));
    }

    public CompletableFuture<Void> delete(Key key) {
        return request(new KvldsRequest.Delete(key)).thenApply(r -> null);
    }

    /** True if the value was {@code oldValue} and the key is now deleted. */
    public CompletableFuture<Boolean> cad(Key key, Key oldValue) {
        return status(new KvldsRequest.Cad(key, oldValue));
    }

    /** The committed value, or null if the key is absent. */
    public CompletableFuture<Key> get(Key key) {
        return request(new KvldsRequest.Get(key)).thenApply(r -> ((KvldsResponse.Get) r).value());
    }

    /** One RANGE request: pairs with start <= key < end (empty end: no bound), about maxBytes of them. */
    public CompletableFuture<KvldsResponse.Range> range(Key start, Key end, long maxBytes) {
        return request(new KvldsRequest.Range(maxBytes, start, end)).thenApply(r -> (KvldsResponse.Range) r);
    }

    /**
     * The pairs with start <= key < end (an empty end: no bound) as a
     * {@link RangeCursor}, fetched {@link RangeCursor#DEFAULT_BUDGET_BYTES}
     * at a time: constant memory however many pairs. Blocks the consuming
     * thread; do not use it on the connection's event loop.
     */
    public RangeCursor cursor(Key start, Key end) {
        return cursor(start, end, RangeCursor.DEFAULT_BUDGET_BYTES);
    }

    /** As {@link #cursor(Key, Key)} with {@code budgetBytes} per RANGE. */
    public RangeCursor cursor(Key start, Key end, long budgetBytes) {
        return new RangeCursor(this, start, end, budgetBytes);
    }

    /** {@link #cursor(Key, Key)} as an ordered, sequential stream. */
    public Stream<KvldsResponse.Pair> stream(Key start, Key end) {
        return StreamSupport.stream(Spliterators.spliteratorUnknownSize(cursor(start, end),
                Spliterator.ORDERED | Spliterator.NONNULL | Spliterator.DISTINCT), false);
    }

    private CompletableFuture<Boolean> status(KvldsRequest request) {
        return request(request).thenApply(r -> ((KvldsResponse.Status) r).ok());
    }

    /** Sends an already encoded record and returns the raw response record: for tests and proxies. */
    public CompletableFuture<byte[]> sendRaw(byte[] record) {
        return connection.send(record, r -> r);
    }

    public ClientConnection connection() {
        return connection;
    }

    public CompletableFuture<Void> closeFuture() {
        return connection.closeFuture();
    }

    @Override
    public void close() {
        connection.close();
    }
}
