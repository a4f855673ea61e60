package io.kivaloo.cli;

import io.kivaloo.proto.kvlds.Key;

import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Sends SETs with up to {@link #MAX_IN_FLIGHT} unanswered at once, so that a
 * load runs at the server's pace rather than one round trip per pair. The
 * caller's thread takes a permit per SET and the answer (on the client's
 * event loop) gives it back, so at most that many pairs are held however
 * long the input. Each SET has the per-request timeout. One connection
 * applies its writes in order, so with a key twice the last one wins.
 *
 * <p>The first failed SET is kept; later sends stop at once, and
 * {@link #finish} waits for every SET already sent before reporting it.
 */
final class PipelinedLoad {

    /** SETs in flight, as the original kvlds-undump's window. */
    static final int MAX_IN_FLIGHT = 4096;

    private final Session session;
    private final Semaphore window = new Semaphore(MAX_IN_FLIGHT);
    private final AtomicReference<Throwable> failure = new AtomicReference<>();
    private final AtomicLong stored = new AtomicLong();

    PipelinedLoad(Session session) {
        this.session = session;
    }

    /** Sends SET key value once a place in the window is free; fails if an earlier SET failed. */
    void send(Key key, Key value) throws ServerFailureException {
        acquire(1);
        if (failure.get() != null) {
            window.release();
            throw firstFailure();
        }
        session.client().set(key, value)
                .orTimeout(session.timeout().toMillis(), TimeUnit.MILLISECONDS)
                .whenComplete((ignored, e) -> {
                    if (e != null) {
                        failure.compareAndSet(null, e);
                    } else {
                        stored.incrementAndGet();
                    }
                    window.release();
                });
    }

    /** Waits for every SET sent; returns how many were stored, or fails with the first failure. */
    long finish() throws ServerFailureException {
        acquire(MAX_IN_FLIGHT);
        window.release(MAX_IN_FLIGHT);
        if (failure.get() != null) {
            throw firstFailure();
        }
        return stored.get();
    }

    private ServerFailureException firstFailure() {
        return session.failed("SET (after " + stored.get() + " stored)", failure.get());
    }

    private void acquire(int permits) throws ServerFailureException {
        try {
            window.acquire(permits);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ServerFailureException("interrupted during load", e);
        }
    }
}
