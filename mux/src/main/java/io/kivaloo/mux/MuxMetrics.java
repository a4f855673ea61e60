package io.kivaloo.mux;

import io.kivaloo.proto.metrics.DaemonMetrics;
import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.core.metrics.Gauge;

/**
 * mux's series ({@code kivaloo_mux_*}, DESIGN.md "Metrics"), all updated on
 * the event loop: client connections as they open and close, the target
 * link as it comes and goes, requests in flight once a second. The HTTP
 * thread reads them, and {@link #targetUp()} for {@code /health}.
 */
final class MuxMetrics {

    /** Why mux closed a client (a client that hangs up itself is {@code hangup}). */
    static final String TARGET_LOST = "target_lost";
    static final String INPUT_ENDED_TARGET_AWAY = "input_ended_target_away";
    static final String BAD_REQUEST = "bad_request";
    static final String CONNECTION_ERROR = "connection_error";
    static final String UNREAD_ANSWERS = "unread_answers";

    private final Gauge clients;
    private final Gauge inFlight;
    private final Gauge held;
    private final Gauge upstreamUp;
    private final Counter reconnects;
    private final Counter clientsClosed;
    /** Whether the target connection is ready; written on the loop, read by /health. */
    private volatile boolean targetUp;

    MuxMetrics(DaemonMetrics metrics) {
        clients = metrics.gauge("clients_connected", "Client connections open.");
        inFlight = metrics.gauge("requests_in_flight", "Requests forwarded to the target and not answered yet (sampled once a second).");
        held = metrics.gauge("requests_held", "Requests read from clients, waiting for the target to come back (sampled once a second).");
        upstreamUp = metrics.gauge("upstream_up", "1 while the target connection is ready, 0 while it is down.");
        reconnects = metrics.counter("reconnects", "Target connections made ready after the first.");
        clientsClosed = metrics.counter("clients_closed", "Client connections ended, by reason.", "reason");
    }

    void clientOpened() {
        clients.inc();
    }

    /** A client connection ended; {@code reason} is one of the constants, or {@code hangup}. */
    void clientClosed(String reason) {
        clients.dec();
        clientsClosed.labelValues(reason).inc();
    }

    /** The target connection is ready; {@code connection} counts from 1. */
    void targetReady(long connection) {
        targetUp = true;
        upstreamUp.set(1);
        if (connection > 1) {
            reconnects.inc();
        }
    }

    void targetLost() {
        targetUp = false;
        upstreamUp.set(0);
    }

    void sample(int requestsInFlight, int requestsHeld) {
        inFlight.set(requestsInFlight);
        held.set(requestsHeld);
    }

    boolean targetUp() {
        return targetUp;
    }
}
