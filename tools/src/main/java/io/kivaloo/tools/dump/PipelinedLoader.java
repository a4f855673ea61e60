package io.kivaloo.tools.dump;

import io.kivaloo.proto.client.KvldsClient;
import io.kivaloo.proto.kvlds.KvldsResponse;
import io.kivaloo.proto.kvlds.SizeLimits;

import java.io.IOException;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Stores pairs with SET, up to {@link #MAX_IN_FLIGHT} outstanding at once
 * (the original undump's window). The reading thread takes a permit per
 * SET and the response gives it back, so at most that many pairs are held
 * however long the input.
 *
 * <p>Each pair is checked against the server's limits (PARAMS) before it is
 * sent: the original sends an oversize pair, kvlds drops the connection, and
 * every SET in flight is lost with it. Here the undump stops at that pair
 * with its number and lengths, after the SETs before it have completed.
 * One connection applies its writes in order, so with duplicate keys the
 * last one wins.
 */
final class PipelinedLoader {

    /** SETs in flight, as the original undump. */
    static final int MAX_IN_FLIGHT = 4096;

    private final KvldsClient client;
    private final SizeLimits limits;
    private final Progress progress;
    private final Semaphore window = new Semaphore(MAX_IN_FLIGHT);
    /** The first failed SET; later ones add nothing. */
    private final AtomicReference<Throwable> failure = new AtomicReference<>();

    PipelinedLoader(KvldsClient client, KvldsResponse.Params limits, Progress progress) {
        this.client = client;
        this.limits = SizeLimits.of(limits);
        this.progress = progress;
    }

    /** Stores every pair of {@code source}; returns how many, once every SET has succeeded. */
    long load(PairSource source) throws IOException {
        long pairs = 0;
        try {
            for (KvldsResponse.Pair pair = source.next(); pair != null; pair = source.next()) {
                checkLimits(pairs, pair);
                acquire(1);
                if (failure.get() != null) {
                    window.release();
                    throwIfFailed();
                }
                int keyLength = pair.key().length();
                int valueLength = pair.value().length();
                client.set(pair.key(), pair.value()).whenComplete((ignored, e) -> {
                    if (e != null) {
                        failure.compareAndSet(null, e);
                    } else {
                        progress.add(keyLength, valueLength);
                    }
                    window.release();
                });
                pairs++;
            }
        } finally {
            // Whatever stopped the input, the SETs already sent finish (or fail) before we report.
            acquire(MAX_IN_FLIGHT);
        }
        throwIfFailed();
        return pairs;
    }

    private void checkLimits(long index, KvldsResponse.Pair pair) throws IOException {
        String violation = limits.violation("pair " + index, pair.key().length(), pair.value().length());
        if (violation != null) {
            throw new IOException(violation + " over the server's limits (PARAMS); nothing after it was sent");
        }
    }

    private void acquire(int permits) throws IOException {
        try {
            window.acquire(permits);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        }
    }

    private void throwIfFailed() throws IOException {
        Throwable first = failure.get();
        if (first != null) {
            throw Completion.asIOException(first);
        }
    }
}
