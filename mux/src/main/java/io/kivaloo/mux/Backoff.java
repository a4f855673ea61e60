package io.kivaloo.mux;

/**
 * Delays between reconnection attempts to the target: doubling from
 * {@code initialMillis} up to {@code maxMillis}, back to the start after a
 * success. Doubling keeps a dead target from being hammered; the cap keeps
 * the outage a client sees no longer than one cap after the target returns.
 */
final class Backoff {

    private final long initialMillis;
    private final long maxMillis;
    private long nextMillis;

    Backoff(long initialMillis, long maxMillis) {
        if (initialMillis <= 0 || maxMillis < initialMillis) {
            throw new IllegalArgumentException("backoff: initial " + initialMillis + " ms, max " + maxMillis
                    + " ms (expected: 0 < initial <= max)");
        }
        this.initialMillis = initialMillis;
        this.maxMillis = maxMillis;
        this.nextMillis = initialMillis;
    }

    /** The delay before the next attempt, in milliseconds; each call doubles the following one. */
    long nextDelayMillis() {
        long delay = nextMillis;
        nextMillis = Math.min(maxMillis, nextMillis * 2);
        return delay;
    }

    /** A connection succeeded: the next failure starts again from the initial delay. */
    void reset() {
        nextMillis = initialMillis;
    }
}
