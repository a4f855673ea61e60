package io.kivaloo.bench.run;

import io.kivaloo.proto.client.KvldsClient;
import io.kivaloo.proto.kvlds.KvldsRequest;
import io.kivaloo.proto.kvlds.KvldsResponse;

import java.io.IOException;
import java.util.concurrent.CompletableFuture;

/**
 * The C programs' request loop: send requests until {@code maxInFlight} are
 * outstanding, and from each completion callback send more (the
 * {@code sendbatch} of every bench/*&#47;main.c). Ends when the workload says so,
 * or when it has no more requests and none is outstanding (bulk_insert,
 * tokyo). Any failed request fails the run, as {@code exit(1)} does in C.
 *
 * <p>Runs entirely on the connection's event loop.
 */
public final class Pipeline {

    /** The C programs' limit on requests in flight. */
    public static final int DEFAULT_IN_FLIGHT = 4096;

    /** A request pattern. Called on the event loop only. */
    public interface Workload {

        /** The next request to send, or null when there are no more. */
        KvldsRequest next() throws IOException;

        /** One request completed; return true when the benchmark is done. */
        boolean completed(KvldsResponse response);
    }

    private final KvldsClient client;
    private final Workload workload;
    private final int maxInFlight;
    private final CompletableFuture<Void> result = new CompletableFuture<>();
    private int inFlight;
    private long completions;

    private Pipeline(KvldsClient client, Workload workload, int maxInFlight) {
        this.client = client;
        this.workload = workload;
        this.maxInFlight = maxInFlight;
    }

    /** Starts {@code workload} on {@code connection}; the future completes when it is done. */
    public static Pipeline start(BenchConnection connection, Workload workload, int maxInFlight) {
        if (maxInFlight < 1) {
            throw new IllegalArgumentException("requests in flight: " + maxInFlight + " (expected: >= 1)");
        }
        Pipeline pipeline = new Pipeline(connection.client(), workload, maxInFlight);
        connection.loop().execute(pipeline::fill);
        return pipeline;
    }

    public CompletableFuture<Void> result() {
        return result;
    }

    /** Requests completed so far; read on the event loop (progress display). */
    public long completions() {
        return completions;
    }

    private void fill() {
        while (!result.isDone() && inFlight < maxInFlight) {
            KvldsRequest request;
            try {
                request = workload.next();
            } catch (IOException | RuntimeException e) {
                result.completeExceptionally(e);
                return;
            }
            if (request == null) {
                break;
            }
            inFlight++;
            client.request(request).whenComplete(this::onResponse);
        }
        if (inFlight == 0) {
            result.complete(null);
        }
    }

    private void onResponse(KvldsResponse response, Throwable failure) {
        inFlight--;
        completions++;
        if (result.isDone()) {
            return; // late responses after the window closed
        }
        if (failure != null) {
            result.completeExceptionally(failure);
            return;
        }
        if (workload.completed(response)) {
            result.complete(null);
            return;
        }
        fill();
    }
}
