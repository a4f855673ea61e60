package io.kivaloo.tools.dump;

import java.io.IOException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;

/**
 * Waits for a client future on the tool's main thread. No deadline, as in
 * the original: a lost connection fails every outstanding future, so a wait
 * ends when the server answers or the connection goes.
 */
final class Completion {

    private Completion() {
    }

    static <T> T await(CompletableFuture<T> future) throws IOException {
        try {
            return future.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        } catch (ExecutionException e) {
            throw asIOException(e.getCause());
        }
    }

    /** {@code failure} itself if it is an IOException, else wrapped in one with its message. */
    static IOException asIOException(Throwable failure) {
        if (failure instanceof CompletionException && failure.getCause() != null) {
            return asIOException(failure.getCause());
        }
        if (failure instanceof IOException) {
            return (IOException) failure;
        }
        return new IOException(failure.getMessage() == null ? failure.toString() : failure.getMessage(), failure);
    }
}
