package io.kivaloo.bench.run;

import io.kivaloo.bench.measure.StatusLine;
import io.kivaloo.bench.measure.SecondCounter;

import java.io.IOException;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.function.Supplier;

/** Runs one pipelined workload to its end, with a progress line on a terminal. */
public final class WorkloadRun {

    private WorkloadRun() {
    }

    /**
     * Runs a workload that ticks {@code counter} with each completion, with
     * the counter's phase on the progress line, and returns its median.
     */
    public static long median(String name, BenchConnection connection, Pipeline.Workload workload, SecondCounter counter,
                              int maxInFlight) throws IOException {
        run(name, connection, workload, maxInFlight, counter::phase);
        return counter.median();
    }

    /**
     * @param phase describes the current phase for the progress line; read on the event loop
     * @throws IOException if a request failed or the connection was lost
     */
    public static void run(String name, BenchConnection connection, Pipeline.Workload workload, int maxInFlight,
                           Supplier<String> phase) throws IOException {
        Pipeline pipeline = Pipeline.start(connection, workload, maxInFlight);
        try (StatusLine progress = StatusLine.start(name, connection.loop(), pipeline::completions, phase)) {
            pipeline.result().get();
        } catch (ExecutionException | CompletionException e) {
            Throwable cause = e.getCause();
            throw new IOException(cause.getMessage(), cause);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        }
    }
}
