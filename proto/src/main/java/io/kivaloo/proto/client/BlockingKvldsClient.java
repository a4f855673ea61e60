package io.kivaloo.proto.client;

import io.kivaloo.proto.kvlds.Key;
import io.kivaloo.proto.kvlds.KvldsResponse;
import io.kivaloo.proto.net.KivalooAddress;

import java.io.IOException;
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

    /** RANGE budget per request when scanning, as the C client uses (1 MiB). */
    public static final long SCAN_BATCH_BYTES = 0x100000;

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
     * keyspace), by RANGE iteration as the C client does it.
     */
    public List<KvldsResponse.Pair> scan(Key start, Key end) throws IOException {
        List<KvldsResponse.Pair> out = new ArrayList<>();
        Key from = start;
        while (true) {
            KvldsResponse.Range r = range(from, end, SCAN_BATCH_BYTES);
            for (KvldsResponse.Pair pair : r.pairs()) {
                // The C kvlds also returns a key equal to end (kvlds.md §2.2).
                if (end.isEmpty() || pair.key().compareTo(end) < 0) {
                    out.add(pair);
                }
            }
            Key next = r.next();
            if (next.isEmpty() || (!end.isEmpty() && next.compareTo(end) >= 0)) {
                return out;
            }
            if (next.compareTo(from) <= 0) {
                throw new IOException("RANGE made no progress: next " + next + " <= start " + from);
            }
            from = next;
        }
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
