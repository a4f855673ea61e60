package io.kivaloo.proto.metrics;

import java.util.Objects;

/**
 * What {@code GET /health} answers: serving (200) or not, with a one-line
 * reason (503), e.g. {@code target down} or {@code store failed: ...}.
 */
public record Health(boolean serving, String reason) {

    public static final Health SERVING = new Health(true, "serving");

    public Health {
        Objects.requireNonNull(reason, "reason");
        // One line: the reason goes into an HTTP body read by scripts and healthchecks.
        reason = reason.replace('\n', ' ').replace('\r', ' ');
    }

    public static Health notServing(String reason) {
        return new Health(false, reason);
    }
}
