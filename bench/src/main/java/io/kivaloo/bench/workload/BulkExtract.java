package io.kivaloo.bench.workload;

import io.kivaloo.bench.measure.StatusLine;
import io.kivaloo.bench.measure.SecondCounter;
import io.kivaloo.bench.run.BenchConnection;
import io.kivaloo.bench.run.Window;
import io.kivaloo.proto.client.KvldsClient;
import io.kivaloo.proto.kvlds.Key;
import io.kivaloo.proto.kvlds.KvldsResponse;

import java.io.IOException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;

/**
 * bench/bulk_extract: read all pairs again and again, as the C library's
 * {@code proto_kvlds_request_range2} does: one RANGE request at a time from
 * "" to "" with a 1 MiB budget, each next one starting at the previous
 * response's {@code next}, until {@code next} is "" again; then a new pass.
 * Every pair counts. Prints the median pairs per second (50 s warm-up, 10 s
 * window). Not pipelined: range2 has one request in flight.
 */
public final class BulkExtract {

    /** range2's budget per RANGE request: 0x100000 bytes. */
    public static final long RANGE_MAX_BYTES = 0x100000;

    private final KvldsClient client;
    private final SecondCounter counter;
    private final CompletableFuture<Void> result = new CompletableFuture<>();
    private long pairs;
    private long pairsThisPass;

    private BulkExtract(KvldsClient client, SecondCounter counter) {
        this.client = client;
        this.counter = counter;
    }

    /** Returns the median pairs per second. */
    public static long run(BenchConnection connection, Window window) throws IOException {
        BulkExtract workload = new BulkExtract(connection.client(), window.newCounter());
        connection.loop().execute(() -> workload.request(Key.EMPTY));
        try (StatusLine progress = StatusLine.start("bulk-extract", connection.loop(), () -> workload.pairs,
                workload.counter::phase)) {
            workload.result.get();
        } catch (ExecutionException e) {
            throw new IOException(e.getCause().getMessage(), e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        }
        return workload.counter.median();
    }

    private void request(Key start) {
        client.range(start, Key.EMPTY, RANGE_MAX_BYTES).whenComplete(this::onRange);
    }

    private void onRange(KvldsResponse.Range range, Throwable failure) {
        if (failure != null) {
            result.completeExceptionally(failure);
            return;
        }
        for (int i = 0; i < range.pairs().size(); i++) {
            pairs++;
            pairsThisPass++;
            if (counter.tick()) {
                result.complete(null);
                return;
            }
        }
        // An empty next ends the pass (range2: start "" after at least one request); begin the next pass.
        if (range.next().isEmpty()) {
            if (pairsThisPass == 0) {
                // The C program would spin here for ever: there is nothing to count.
                result.completeExceptionally(new IOException("the store is empty: insert pairs first"));
                return;
            }
            pairsThisPass = 0;
        }
        request(range.next());
    }
}
