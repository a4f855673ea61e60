package io.kivaloo.lbss3.s3;

import java.io.IOException;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * One simulated lbs-s3 process's view of a shared object store, with faults
 * on demand: the n-th request of a kind fails (before reaching the store, or
 * after it, with the answer lost), a PUT can be held in flight and let
 * through later (a late PUT), and {@link #kill()} makes the process dead: every
 * later request fails, only the ones already in flight go on.
 */
public final class FaultyObjectStore implements ObjectStore {

    /** What a request is, for counting. */
    public enum Kind { PUT, GET, HEAD, LIST, DELETE }

    private static final long HOLD_DEADLINE_SECONDS = 120;

    private final ObjectStore delegate;
    private final Map<Kind, Integer> calls = new EnumMap<>(Kind.class);
    private final Map<Kind, Integer> failAt = new EnumMap<>(Kind.class);
    private boolean failAfter;
    private volatile boolean dead;
    private Predicate<String> holdKeys = key -> false;
    private volatile Predicate<String> failKeys = key -> false;
    private volatile boolean ignoreConditions;
    private final CountDownLatch held = new CountDownLatch(1);
    private final CountDownLatch release = new CountDownLatch(1);

    public FaultyObjectStore(ObjectStore delegate) {
        this.delegate = delegate;
    }

    /** The {@code n}-th request of {@code kind} (1-based, from now) fails before reaching the store. */
    public synchronized FaultyObjectStore failNth(Kind kind, int n) {
        failAt.put(kind, calls.getOrDefault(kind, 0) + n);
        failAfter = false;
        return this;
    }

    /** The {@code n}-th PUT reaches the store and lands, but its answer is lost: the caller sees a failure. */
    public synchronized FaultyObjectStore loseAnswerOfNthPut(int n) {
        failNth(Kind.PUT, n);
        failAfter = true;
        return this;
    }

    /** The next PUT of a key matching {@code keys} waits in flight until {@link #releaseHeldPut()}. */
    public synchronized FaultyObjectStore holdPut(Predicate<String> keys) {
        holdKeys = keys;
        return this;
    }

    /** Waits until the held PUT is in flight. */
    public void awaitHeldPut() throws InterruptedException {
        if (!held.await(HOLD_DEADLINE_SECONDS, TimeUnit.SECONDS)) {
            throw new AssertionError("no PUT was held within " + HOLD_DEADLINE_SECONDS + " s");
        }
    }

    /** Lets the held PUT reach the store. */
    public void releaseHeldPut() {
        release.countDown();
    }

    /** Every request on a key (or listing prefix) matching {@code keys} fails from now on. */
    public FaultyObjectStore failMatching(Predicate<String> keys) {
        failKeys = keys;
        return this;
    }

    /** From now on PUTs overwrite existing objects, as a store that ignores {@code If-None-Match} does. */
    public FaultyObjectStore ignoreConditions() {
        ignoreConditions = true;
        return this;
    }

    /** The process is dead from now on: new requests fail; one in flight goes on. */
    public void kill() {
        dead = true;
    }

    /** Requests of {@code kind} made so far. */
    public synchronized int calls(Kind kind) {
        return calls.getOrDefault(kind, 0);
    }

    /** Counts the request; true if it is the one to fail. */
    private synchronized boolean count(Kind kind, String key) throws IOException {
        if (dead) {
            throw new ObjectStoreException("injected: process is dead, " + kind + " key=" + key);
        }
        if (failKeys.test(key)) {
            throw new ObjectStoreException("injected failure of " + kind + " key=" + key);
        }
        int n = calls.merge(kind, 1, Integer::sum);
        Integer at = failAt.get(kind);
        if (at != null && at == n) {
            if (!(kind == Kind.PUT && failAfter)) {
                throw new ObjectStoreException("injected failure of " + kind + " number " + n + " key=" + key);
            }
            return true;
        }
        return false;
    }

    @Override
    public void create(String key, byte[] data) throws IOException {
        boolean loseAnswer = count(Kind.PUT, key);
        boolean hold;
        synchronized (this) {
            hold = holdKeys.test(key);
            if (hold) {
                holdKeys = k -> false;
            }
        }
        if (hold) {
            held.countDown();
            try {
                if (!release.await(HOLD_DEADLINE_SECONDS, TimeUnit.SECONDS)) {
                    throw new AssertionError("held PUT never released key=" + key);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new ObjectStoreException("interrupted while held key=" + key);
            }
        }
        if (ignoreConditions && delegate.exists(key)) {
            delegate.delete(key);
        }
        delegate.create(key, data);
        if (loseAnswer) {
            throw new ObjectStoreException("injected: PUT landed, answer lost key=" + key);
        }
    }

    @Override
    public byte[] get(String key) throws IOException {
        count(Kind.GET, key);
        return delegate.get(key);
    }

    @Override
    public byte[] getRange(String key, long offset, int length) throws IOException {
        count(Kind.GET, key);
        return delegate.getRange(key, offset, length);
    }

    @Override
    public boolean exists(String key) throws IOException {
        count(Kind.HEAD, key);
        return delegate.exists(key);
    }

    @Override
    public List<ObjectInfo> list(String prefix) throws IOException {
        count(Kind.LIST, prefix);
        return delegate.list(prefix);
    }

    @Override
    public void delete(String key) throws IOException {
        count(Kind.DELETE, key);
        delegate.delete(key);
    }

    @Override
    public String describe() {
        return delegate.describe();
    }

    @Override
    public void close() {
    }
}
