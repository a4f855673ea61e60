package io.kivaloo.tests.monitoring;

import io.kivaloo.proto.metrics.HttpGet;

import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * Waits for a daemon's {@code /health} to answer a given status. The daemon
 * is another process and sends no notification, so the endpoint is asked
 * again at a short interval until it answers or the deadline passes (as the
 * chain fixture observes a process's exit).
 */
final class HealthWait {

    /** A target's loss is noticed at once; its return within the mux's reconnection back-off, which is seconds. */
    static final Duration DEADLINE = Duration.ofSeconds(120);
    private static final long POLL_NANOS = TimeUnit.MILLISECONDS.toNanos(50);

    private HealthWait() {
    }

    /** The first answer with {@code status}; fails with the last answer seen after {@link #DEADLINE}. */
    static HttpGet until(String hostPort, int status) throws IOException {
        long deadline = System.nanoTime() + DEADLINE.toNanos();
        HttpGet last;
        do {
            last = HttpGet.of(hostPort, "/health");
            if (last.status() == status) {
                return last;
            }
            LockSupport.parkNanos(POLL_NANOS);
        } while (System.nanoTime() - deadline < 0);
        throw new AssertionError("GET /health on " + hostPort + " did not answer " + status + " within "
                + DEADLINE.toSeconds() + " s; last: " + last);
    }
}
