package io.kivaloo.tests.semantics;

import io.kivaloo.proto.client.KvldsClient;
import io.kivaloo.proto.kvlds.Key;
import io.kivaloo.proto.kvlds.KvldsRequest;
import io.kivaloo.proto.kvlds.KvldsResponse;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.NavigableMap;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * One pipelining client of the semantics suite: sends a seeded random
 * sequence of every request type over its own connection and checks every
 * answer against its own {@link KvModel}.
 *
 * <p>The client owns the keys that start with its prefix byte, and nobody else
 * touches them, so its model is exact even with other clients running. The
 * sequence alternates two kinds of rounds, each pipelined (all requests sent,
 * then all answers awaited):
 * <ul>
 *   <li>mutation rounds: SET, CAS, ADD, MODIFY, DELETE, CAD. kvlds applies one
 *       connection's MRs in arrival order (kvlds.md §6.4), so the model applied
 *       in sending order predicts each status exactly;</li>
 *   <li>read rounds: GET, RANGE (single requests with random budgets, and
 *       whole iterations), PARAMS. No MR is in flight then, so each read
 *       sees exactly the model's state.</li>
 * </ul>
 */
final class ModelCheckedClient {

    /** Generous per-answer deadline for a slow, busy machine. */
    private static final long ANSWER_TIMEOUT_SECONDS = 120;
    private static final int KEYS_PER_CLIENT = 256;
    private static final int MAX_PIPELINE = 64;

    private final KvldsClient client;
    private final int prefix;
    private final boolean lastPrefix;
    private final KvldsResponse.Params params;
    private final Random random;
    private final KvModel model = new KvModel();
    private final List<Key> keys = new ArrayList<>();
    private final List<Key> oldValues = new ArrayList<>();
    private int done;

    /**
     * @param prefix     first byte of every key this client uses
     * @param lastPrefix true for the client with the highest prefix: its ranges may run to the end of the keyspace
     */
    ModelCheckedClient(KvldsClient client, int prefix, boolean lastPrefix, KvldsResponse.Params params, long seed) {
        this.client = client;
        this.prefix = prefix;
        this.lastPrefix = lastPrefix;
        this.params = params;
        this.random = new Random(seed);
        int maxSuffix = params.maxKeyLength() - 1;
        keys.add(key(new byte[0]));
        keys.add(key(filled(maxSuffix, (byte) 0xFF)));
        keys.add(key(filled(Math.min(1, maxSuffix), (byte) 0x80)));
        while (keys.size() < KEYS_PER_CLIENT) {
            int length = random.nextInt(10) < 8 ? 1 + random.nextInt(Math.min(6, maxSuffix)) : random.nextInt(maxSuffix + 1);
            keys.add(key(randomBytes(length)));
        }
        for (int i = 0; i < 8; i++) {
            oldValues.add(value());
        }
    }

    /** Runs {@code operations} requests, failing with an AssertionError that names the request on any mismatch. */
    KvModel run(int operations) throws IOException {
        while (done < operations) {
            if (random.nextInt(10) < 6) {
                mutationRound(1 + random.nextInt(MAX_PIPELINE));
            } else {
                readRound(1 + random.nextInt(MAX_PIPELINE / 2));
            }
        }
        return model;
    }

    private void mutationRound(int count) throws IOException {
        List<KvldsRequest> requests = new ArrayList<>(count);
        List<KvldsResponse> expected = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            KvldsRequest request = randomMutation();
            requests.add(request);
            expected.add(model.apply(request));
        }
        List<CompletableFuture<KvldsResponse>> answers = new ArrayList<>(count);
        for (KvldsRequest request : requests) {
            answers.add(client.request(request));
        }
        for (int i = 0; i < count; i++) {
            check(requests.get(i), expected.get(i), await(answers.get(i), requests.get(i)));
        }
        done += count;
    }

    private KvldsRequest randomMutation() {
        Key key = pick(keys);
        switch (random.nextInt(6)) {
            case 0:
                return new KvldsRequest.Set(key, value());
            case 1:
                return new KvldsRequest.Cas(key, plausibleOldValue(key), value());
            case 2:
                return new KvldsRequest.Add(key, value());
            case 3:
                return new KvldsRequest.Modify(key, value());
            case 4:
                return new KvldsRequest.Delete(key);
            default:
                return new KvldsRequest.Cad(key, plausibleOldValue(key));
        }
    }

    /** The current value half of the time (so CAS and CAD succeed often), else a random one. */
    private Key plausibleOldValue(Key key) {
        Key current = model.get(key);
        return current != null && random.nextBoolean() ? current : pick(oldValues);
    }

    private void readRound(int count) throws IOException {
        List<Runnable> checks = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            int kind = random.nextInt(20);
            if (kind == 0) {
                KvldsRequest.Params request = new KvldsRequest.Params();
                CompletableFuture<KvldsResponse> answer = client.request(request);
                checks.add(() -> check(request, params, awaitUnchecked(answer, request)));
            } else if (kind < 6) {
                KvldsRequest.Range request = randomRange();
                NavigableMap<Key, Key> stored = model.range(request.start(), request.end());
                CompletableFuture<KvldsResponse> answer = client.request(request);
                checks.add(() -> {
                    KvldsResponse.Range range = (KvldsResponse.Range) awaitUnchecked(answer, request);
                    String violation = RangeContract.violation(request.start(), request.end(), request.maxBytes(),
                            range, stored);
                    if (violation != null) {
                        throw new AssertionError("client " + prefix + ": " + violation);
                    }
                });
            } else {
                KvldsRequest.Get request = new KvldsRequest.Get(pick(keys));
                KvldsResponse expected = model.apply(request);
                CompletableFuture<KvldsResponse> answer = client.request(request);
                checks.add(() -> check(request, expected, awaitUnchecked(answer, request)));
            }
        }
        for (Runnable check : checks) {
            check.run();
        }
        if (random.nextInt(8) == 0) {
            iterateOwnKeys();
        }
        done += count;
    }

    /**
     * A RANGE inside this client's keys: bounded [a, b) with a <= b, or from a
     * key to the client's end; the last client also uses empty ends (+inf).
     */
    private KvldsRequest.Range randomRange() {
        Key a = pick(keys);
        Key b = pick(keys);
        if (a.compareTo(b) > 0) {
            Key t = a;
            a = b;
            b = t;
        }
        Key end = random.nextInt(4) == 0 ? ownEnd() : b;
        long max = random.nextInt(4) == 0 ? random.nextInt(64) : random.nextInt(4096);
        return new KvldsRequest.Range(max, a, end);
    }

    /** The first key after this client's keys, or "" (+inf) for the last client. */
    private Key ownEnd() {
        return lastPrefix ? Key.EMPTY : Key.of(new byte[] {(byte) (prefix + 1)});
    }

    /** A whole iteration over this client's keys with a small budget: many RANGE requests, continued from next. */
    private void iterateOwnKeys() throws IOException {
        Key start = Key.of(new byte[] {(byte) prefix});
        Key end = ownEnd();
        long max = 1 + random.nextInt(2048);
        List<Key> seen = new ArrayList<>();
        Key from = start;
        for (int requests = 0; ; requests++) {
            if (requests > KEYS_PER_CLIENT + 2) {
                throw new AssertionError("client " + prefix + ": iteration over " + model.range(start, end).size()
                        + " keys did not finish in " + requests + " RANGE requests");
            }
            KvldsRequest.Range request = new KvldsRequest.Range(max, from, end);
            KvldsResponse.Range range = (KvldsResponse.Range) await(client.request(request), request);
            String violation = RangeContract.violation(from, end, max, range, model.range(from, end));
            if (violation != null) {
                throw new AssertionError("client " + prefix + " iteration: " + violation);
            }
            range.pairs().forEach(p -> seen.add(p.key()));
            Key next = range.next();
            if (next.isEmpty() || (!end.isEmpty() && next.compareTo(end) >= 0)) {
                break;
            }
            from = next;
        }
        List<Key> stored = new ArrayList<>(model.range(start, end).keySet());
        if (!seen.equals(stored)) {
            throw new AssertionError("client " + prefix + ": iteration returned " + seen + " but stored " + stored);
        }
    }

    private void check(KvldsRequest request, KvldsResponse expected, KvldsResponse actual) {
        if (!expected.equals(actual)) {
            throw new AssertionError("client " + prefix + " request " + done + " " + request + ": expected "
                    + expected + " got " + actual);
        }
    }

    private KvldsResponse awaitUnchecked(CompletableFuture<KvldsResponse> answer, KvldsRequest request) {
        try {
            return await(answer, request);
        } catch (IOException e) {
            throw new AssertionError("client " + prefix + " request " + request + " failed: " + e.getMessage(), e);
        }
    }

    private KvldsResponse await(CompletableFuture<KvldsResponse> answer, KvldsRequest request) throws IOException {
        try {
            return answer.get(ANSWER_TIMEOUT_SECONDS, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            throw new IOException("client " + prefix + " request " + request + " failed: " + e.getCause(), e.getCause());
        } catch (TimeoutException e) {
            throw new IOException("client " + prefix + " request " + request + ": no answer in "
                    + ANSWER_TIMEOUT_SECONDS + " s", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        }
    }

    private Key key(byte[] suffix) {
        byte[] bytes = new byte[1 + suffix.length];
        bytes[0] = (byte) prefix;
        System.arraycopy(suffix, 0, bytes, 1, suffix.length);
        return Key.wrap(bytes);
    }

    private Key value() {
        int max = params.maxValueLength();
        int pick = random.nextInt(10);
        int length = pick < 6 ? random.nextInt(Math.min(16, max) + 1) : pick < 9 ? random.nextInt(max + 1) : max;
        return Key.wrap(randomBytes(length));
    }

    private byte[] randomBytes(int length) {
        byte[] bytes = new byte[length];
        random.nextBytes(bytes);
        return bytes;
    }

    private static byte[] filled(int length, byte b) {
        byte[] bytes = new byte[length];
        Arrays.fill(bytes, b);
        return bytes;
    }

    private <T> T pick(List<T> list) {
        return list.get(random.nextInt(list.size()));
    }
}
