package io.kivaloo.proto.client;

import io.kivaloo.proto.kvlds.KvldsRequest;
import io.kivaloo.proto.kvlds.KvldsResponse;
import io.kivaloo.proto.kvlds.SizeLimits;

import java.util.ArrayDeque;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;

/**
 * Checks each SET, CAS, ADD and MODIFY against the server's size limits
 * before it is sent, so that one oversize request fails alone (with
 * {@link OversizeRequestException}) instead of costing the connection.
 *
 * <p>The limits come from a PARAMS sent just before the first request they
 * apply to; until then requests go straight through (a client that only
 * reads never asks). While PARAMS is out, every request is held here, in
 * order, and sent (or refused) when it answers: holding them under the
 * same lock as later submissions keeps one thread's requests in the order
 * it made them, which kvlds's per-connection ordering promises. If PARAMS
 * fails (the connection is gone), held and later requests go on to the
 * connection, which fails them the same way it fails everything else.
 */
final class LimitGate {

    private enum State { UNASKED, ASKING, KNOWN }

    private final Supplier<CompletableFuture<KvldsResponse.Params>> ask;
    private final ArrayDeque<Runnable> held = new ArrayDeque<>();
    private final CompletableFuture<KvldsResponse.Params> answer = new CompletableFuture<>();
    /** Written under the lock; read without it on the hot path. */
    private volatile State state = State.UNASKED;
    /** Written under the lock before {@link #state} becomes KNOWN. */
    private volatile SizeLimits limits;

    /** @param ask sends PARAMS on the connection */
    LimitGate(Supplier<CompletableFuture<KvldsResponse.Params>> ask) {
        this.ask = ask;
    }

    /** The server's PARAMS answer, asked for now if nothing asked before. */
    CompletableFuture<KvldsResponse.Params> limits() {
        synchronized (this) {
            if (state == State.UNASKED) {
                startAsking();
            }
        }
        return answer.copy();
    }

    /** Sends {@code request} with {@code send} once it passes the check; the returned future is the answer. */
    <T> CompletableFuture<T> submit(KvldsRequest request, Supplier<CompletableFuture<T>> send) {
        State now = state;
        if (now == State.KNOWN || (now == State.UNASKED && !SizeLimits.applyTo(request))) {
            return checkAndSend(request, send);
        }
        synchronized (this) {
            if (state == State.UNASKED) {
                startAsking();
            }
            if (state == State.ASKING) {
                CompletableFuture<T> result = new CompletableFuture<>();
                held.add(() -> relay(checkAndSend(request, send), result));
                return result;
            }
        }
        return checkAndSend(request, send);
    }

    /** Under the lock. */
    private void startAsking() {
        state = State.ASKING;
        ask.get().whenComplete((params, failure) -> {
            if (failure != null) {
                answer.completeExceptionally(failure);
                release(SizeLimits.WIRE);
            } else {
                answer.complete(params);
                release(SizeLimits.of(params));
            }
        });
    }

    private synchronized void release(SizeLimits known) {
        limits = known;
        state = State.KNOWN;
        for (Runnable request = held.poll(); request != null; request = held.poll()) {
            request.run();
        }
    }

    private <T> CompletableFuture<T> checkAndSend(KvldsRequest request, Supplier<CompletableFuture<T>> send) {
        SizeLimits known = limits;
        String violation = known == null ? null : known.violation(request);
        if (violation != null) {
            return CompletableFuture.failedFuture(new OversizeRequestException(violation
                    + " over the server's limits (PARAMS): not sent"));
        }
        return send.get();
    }

    private static <T> void relay(CompletableFuture<T> from, CompletableFuture<T> to) {
        from.whenComplete((value, failure) -> {
            if (failure != null) {
                to.completeExceptionally(failure);
            } else {
                to.complete(value);
            }
        });
    }
}
