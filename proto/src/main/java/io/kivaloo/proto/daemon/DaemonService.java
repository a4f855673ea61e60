package io.kivaloo.proto.daemon;

import io.kivaloo.proto.metrics.Health;

import java.util.concurrent.CompletableFuture;

/**
 * A running daemon, as the {@link Daemon} runner sees it: started by its
 * {@link Starter} (which does everything that can fail), stopped by a signal
 * or by itself.
 */
public interface DaemonService extends AutoCloseable {

    /**
     * Completes when the service ends by itself: normally (e.g. {@code -1}
     * after its connection) or exceptionally on a fatal error (an I/O error,
     * a lost upstream), whose message is printed as the daemon's last word.
     */
    CompletableFuture<Void> done();

    /**
     * Whether the daemon can serve now, for {@code GET /health}; called on
     * the metrics thread, so it reads only state its owner publishes safely.
     */
    default Health health() {
        return Health.SERVING;
    }

    /**
     * Graceful stop, for SIGTERM and after {@link #done()}: stop accepting,
     * finish or fail in-flight work, flush what must be flushed, release
     * resources and remove the socket file. Idempotent.
     */
    @Override
    void close();

    /** Does everything that can fail at start-up; the daemon is ready when it returns. */
    @FunctionalInterface
    interface Starter {
        DaemonService start() throws StartupException;
    }
}
