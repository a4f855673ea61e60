package io.kivaloo.proto.client;

import io.kivaloo.proto.kvlds.Key;
import io.kivaloo.proto.kvlds.KvldsCodec;
import io.kivaloo.proto.kvlds.KvldsRequest;
import io.kivaloo.proto.kvlds.KvldsResponse;
import io.kivaloo.proto.net.KivalooAddress;
import io.kivaloo.proto.net.Transport;
import io.netty.channel.EventLoopGroup;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;

/**
 * Asynchronous, pipelined client of the KVLDS protocol (kvlds.md §2), for a
 * kvlds or a mux in front of one. Threading as in {@link ClientConnection}:
 * futures complete on the connection's event loop.
 */
public final class KvldsClient implements AutoCloseable {

    /** The protocol's longest answer, a whole RANGE (kvlds's scan bound and this limit are one constant). */
    static final int MAX_RESPONSE_LENGTH = KvldsCodec.MAX_RESPONSE_LENGTH;

    private final ClientConnection connection;
    private final EventLoopGroup ownedGroup;

    private KvldsClient(ClientConnection connection, EventLoopGroup ownedGroup) {
        this.connection = connection;
        this.ownedGroup = ownedGroup;
    }

    /** Connects on {@code group}, which the caller keeps owning. */
    public static CompletableFuture<KvldsClient> connect(KivalooAddress address, EventLoopGroup group, Transport transport) {
        return ClientConnection.connect(address, group, transport, MAX_RESPONSE_LENGTH).thenApply(c -> new KvldsClient(c, null));
    }

    /** Connects on an event loop of its own, shut down by {@link #close()}. */
    public static CompletableFuture<KvldsClient> connect(KivalooAddress address) {
        Transport transport = Transport.best();
        EventLoopGroup group = transport.newEventLoopGroup(1, "kvlds-client");
        return ClientConnection.connect(address, group, transport, MAX_RESPONSE_LENGTH).handle((c, e) -> {
            if (e != null) {
                group.shutdownGracefully(0, 0, TimeUnit.SECONDS);
                throw new CompletionException(e);
            }
            return new KvldsClient(c, group);
        });
    }

    /** Sends any request and returns the typed response. */
    public CompletableFuture<KvldsResponse> request(KvldsRequest request) {
        return connection.send(KvldsCodec.encodeRequest(request), r -> KvldsCodec.decodeResponse(request, r));
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
        if (ownedGroup != null) {
            connection.closeFuture().whenComplete((v, e) -> ownedGroup.shutdownGracefully(0, 0, TimeUnit.SECONDS));
        }
    }
}
