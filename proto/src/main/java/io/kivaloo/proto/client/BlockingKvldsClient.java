package io.kivaloo.proto.client;

import io.kivaloo.proto.kvlds.Key;
import io.kivaloo.proto.kvlds.KvldsResponse;
import io.kivaloo.proto.net.KivalooAddress;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * A small blocking facade over {@link KvldsClient}: one request at a time,
 * each waiting up to a timeout. For tools, scripts and tests; throughput needs
 * the asynchronous client.
 */
public final class BlockingKvldsClient implements AutoCloseable {

    private final KvldsClient client;
    private final long timeoutMillis;

    public BlockingKvldsClient(KvldsClient client, long timeoutMillis) {
        this.client = client;
        this.timeoutMillis = timeoutMillis;
    }

    /** Connects with a 60-second timeout per request. */
    public static BlockingKvldsClient connect(KivalooAddress address) throws IOException {
        KvldsClient client = await(KvldsClient.connect(address), 60_000);
        return new BlockingKvldsClient(client, 60_000);
    }

    public KvldsClient async() {
        return client;
    }

    public KvldsResponse.Params params() throws IOException {
        return await(client.params());
    }

    public void set(Key key, Key value) throws IOException {
        await(client.set(key, value));
    }

    public boolean cas(Key key, Key oldValue, Key value) throws IOException {
        return await(client.cas(key, oldValue, value));
    }

    public boolean add(Key key, Key value) throws IOException {
        return await(client.add(key, value));
    }

    public boolean modify(Key key, Key value) throws IOException {
        return await(client.modify(key, value));
    }

    public void delete(Key key) throws IOException {
        await(client.delete(key));
    }

    public boolean cad(Key key, Key oldValue) throws IOException {
        return await(client.cad(key, oldValue));
    }

    /** The value, or null when the key is absent. */
    public Key get(Key key) throws IOException {
        return await(client.get(key));
    }

    public KvldsResponse.Range range(Key start, Key end, long maxBytes) throws IOException {
        return await(client.range(start, end, maxBytes));
    }

    /**
     * Every pair with start <= key < end (empty end: to the end of the
     * keyspace) as one list, by {@link RangeCursor}; for ranges that fit in
     * memory. Large ranges: {@link KvldsClient#cursor}.
     */
    public List<KvldsResponse.Pair> scan(Key start, Key end) throws IOException {
        List<KvldsResponse.Pair> out = new ArrayList<>();
        try {
            client.withRequestTimeout(Duration.ofMillis(timeoutMillis)).cursor(start, end).forEachRemaining(out::add);
        } catch (UncheckedIOException e) {
            throw e.getCause();
        }
        return out;
    }

    private <T> T await(CompletableFuture<T> future) throws IOException {
        return await(future, timeoutMillis);
    }

    private static <T> T await(CompletableFuture<T> future, long timeoutMillis) throws IOException {
        try {
            return future.get(timeoutMillis, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        } catch (TimeoutException e) {
            throw new IOException("no response within " + timeoutMillis + " ms", e);
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof IOException) {
                throw (IOException) cause;
            }
            throw new IOException(String.valueOf(cause.getMessage()), cause);
        }
    }

    @Override
    public void close() {
        client.close();
    }
}
