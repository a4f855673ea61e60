package io.kivaloo.mux;

import io.kivaloo.proto.net.KivalooAddress;

import java.util.List;

/**
 * Everything {@link MuxServer} needs, validated here (DESIGN.md "Invocation").
 *
 * @param target             the upstream address (-t)
 * @param sources            listening addresses, at least one (-s)
 * @param maxConnections     clients served at once, 0 = unlimited (-n)
 * @param forwardAny         forward every well-framed record without KVLDS checks (--forward-any)
 * @param maxRequestLength   longest request record accepted with {@code forwardAny}, in bytes
 * @param maxInFlight        requests one client may have upstream at once
 * @param backlog            listen backlog of each listening socket
 * @param backoffInitialMillis first delay before reconnecting to a lost target, in milliseconds
 * @param backoffMaxMillis   cap on that delay, in milliseconds
 * @param startupTimeoutMillis how long start-up waits for the target to answer PARAMS, in milliseconds
 * @param maxClientBytes     bytes of answers one client may be charged (see {@link AnswerBudget})
 * @param maxTotalBytes      bytes of answers all clients together may be charged
 * @param stalledClientMillis while the total is reached, a client whose socket took none of its queued answers
 *                           for this long is closed, in milliseconds
 */
public record MuxConfig(KivalooAddress target, List<KivalooAddress> sources, int maxConnections, boolean forwardAny,
                        int maxRequestLength, int maxInFlight, int backlog, long backoffInitialMillis,
                        long backoffMaxMillis, long startupTimeoutMillis, long maxClientBytes, long maxTotalBytes,
                        long stalledClientMillis) {

    public static final int DEFAULT_MAX_IN_FLIGHT = 4096;
    public static final int DEFAULT_BACKLOG = 4096;
    public static final int DEFAULT_MAX_REQUEST_LENGTH = 1024 * 1024;
    public static final long DEFAULT_BACKOFF_INITIAL_MILLIS = 50;
    public static final long DEFAULT_BACKOFF_MAX_MILLIS = 2000;
    public static final long DEFAULT_STARTUP_TIMEOUT_MILLIS = 30_000;
    /** Three whole-store RANGE answers, or all of 4,096 GETs' answers (1.5 MiB with their reserve). */
    public static final long DEFAULT_MAX_CLIENT_BYTES = 16L << 20;
    /** What all clients together may be owed: a few hundred MiB of direct memory at most. */
    public static final long DEFAULT_MAX_TOTAL_BYTES = 256L << 20;
    /** Long enough for a 4 MiB RANGE answer to leave over a slow link; short enough that others wait seconds only. */
    public static final long DEFAULT_STALLED_CLIENT_MILLIS = 5_000;

    public MuxConfig {
        if (target == null) {
            throw new IllegalArgumentException("target: null");
        }
        if (sources == null || sources.isEmpty()) {
            throw new IllegalArgumentException("sources: none (expected: at least one)");
        }
        sources = List.copyOf(sources);
        if (maxConnections < 0 || maxConnections > 65535) {
            throw new IllegalArgumentException("maxConnections: " + maxConnections + " (expected: 0..65535)");
        }
        if (maxRequestLength < 0) {
            throw new IllegalArgumentException("maxRequestLength: " + maxRequestLength + " (expected: >= 0)");
        }
        if (maxInFlight < 1) {
            throw new IllegalArgumentException("maxInFlight: " + maxInFlight + " (expected: >= 1)");
        }
        if (backlog < 1) {
            throw new IllegalArgumentException("backlog: " + backlog + " (expected: >= 1)");
        }
        if (maxClientBytes < 1) {
            throw new IllegalArgumentException("maxClientBytes: " + maxClientBytes + " (expected: >= 1)");
        }
        if (maxTotalBytes < maxClientBytes) {
            throw new IllegalArgumentException("maxTotalBytes: " + maxTotalBytes + " (expected: >= maxClientBytes "
                    + maxClientBytes + ")");
        }
        if (stalledClientMillis < 0) {
            throw new IllegalArgumentException("stalledClientMillis: " + stalledClientMillis + " (expected: >= 0)");
        }
    }

    /** The defaults for everything but the addresses and -n. */
    public static MuxConfig of(KivalooAddress target, List<KivalooAddress> sources, int maxConnections) {
        return new MuxConfig(target, sources, maxConnections, false, DEFAULT_MAX_REQUEST_LENGTH, DEFAULT_MAX_IN_FLIGHT,
                DEFAULT_BACKLOG, DEFAULT_BACKOFF_INITIAL_MILLIS, DEFAULT_BACKOFF_MAX_MILLIS, DEFAULT_STARTUP_TIMEOUT_MILLIS,
                DEFAULT_MAX_CLIENT_BYTES, DEFAULT_MAX_TOTAL_BYTES, DEFAULT_STALLED_CLIENT_MILLIS);
    }

    public MuxConfig withForwardAny(boolean value) {
        return new MuxConfig(target, sources, maxConnections, value, maxRequestLength, maxInFlight, backlog,
                backoffInitialMillis, backoffMaxMillis, startupTimeoutMillis, maxClientBytes, maxTotalBytes,
                stalledClientMillis);
    }

    public MuxConfig withMaxInFlight(int value) {
        return new MuxConfig(target, sources, maxConnections, forwardAny, maxRequestLength, value, backlog,
                backoffInitialMillis, backoffMaxMillis, startupTimeoutMillis, maxClientBytes, maxTotalBytes,
                stalledClientMillis);
    }

    public MuxConfig withMaxRequestLength(int value) {
        return new MuxConfig(target, sources, maxConnections, forwardAny, value, maxInFlight, backlog,
                backoffInitialMillis, backoffMaxMillis, startupTimeoutMillis, maxClientBytes, maxTotalBytes,
                stalledClientMillis);
    }

    public MuxConfig withBacklog(int value) {
        return new MuxConfig(target, sources, maxConnections, forwardAny, maxRequestLength, maxInFlight, value,
                backoffInitialMillis, backoffMaxMillis, startupTimeoutMillis, maxClientBytes, maxTotalBytes,
                stalledClientMillis);
    }

    public MuxConfig withAnswerBytes(long client, long total) {
        return new MuxConfig(target, sources, maxConnections, forwardAny, maxRequestLength, maxInFlight, backlog,
                backoffInitialMillis, backoffMaxMillis, startupTimeoutMillis, client, total, stalledClientMillis);
    }

    public MuxConfig withStalledClientMillis(long value) {
        return new MuxConfig(target, sources, maxConnections, forwardAny, maxRequestLength, maxInFlight, backlog,
                backoffInitialMillis, backoffMaxMillis, startupTimeoutMillis, maxClientBytes, maxTotalBytes, value);
    }
}
