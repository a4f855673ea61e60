package io.kivaloo.proto.client;

import io.kivaloo.proto.kvlds.Key;
import io.kivaloo.proto.kvlds.KvldsResponse;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Iterator;
import java.util.NoSuchElementException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;

/**
 * The pairs with start <= key < end (an empty end: to the end of the
 * keyspace), in key order, fetched by RANGE iteration as the original's
 * {@code proto_kvlds_request_range2} (kvlds.md §2.2): each request starts at
 * the previous answer's {@code next}, until {@code next} is "" or reaches end.
 *
 * <p>The next RANGE is sent as soon as an answer arrives, so the server
 * works while the caller consumes; the cursor holds at most that answer and
 * the one in flight, about two budgets of pairs, however large the range.
 * Keys must rise and {@code next} must advance: a server that breaks the
 * RANGE contract fails the iteration instead of repeating or reordering
 * pairs. Pairs with a key equal to end, which the C kvlds also returns, are
 * left out.
 *
 * <p>Blocking, for one consumer thread. A failed request (connection lost,
 * timeout) surfaces from {@link #hasNext}/{@link #next} as an
 * {@link UncheckedIOException}.
 */
public final class RangeCursor implements Iterator<KvldsResponse.Pair> {

    /** The original client's budget per RANGE (0x100000 bytes). */
    public static final long DEFAULT_BUDGET_BYTES = 0x100000;

    private final KvldsClient client;
    private final Key end;
    private final long budgetBytes;
    private Key start;
    /** Where the answer being consumed was asked from: none of its keys may be below it. */
    private Key answerStart;
    private CompletableFuture<KvldsResponse.Range> inFlight;
    private Iterator<KvldsResponse.Pair> answer = java.util.Collections.emptyIterator();
    private KvldsResponse.Pair nextPair;
    private Key lastKey;
    private long largestAnswerBytes;

    RangeCursor(KvldsClient client, Key start, Key end, long budgetBytes) {
        this.client = client;
        this.start = start;
        this.end = end;
        this.budgetBytes = budgetBytes;
        this.inFlight = client.range(start, end, budgetBytes);
    }

    @Override
    public boolean hasNext() {
        while (nextPair == null) {
            if (answer.hasNext()) {
                KvldsResponse.Pair pair = answer.next();
                if (!end.isEmpty() && pair.key().compareTo(end) >= 0) {
                    continue;
                }
                checkOrder(pair.key());
                nextPair = pair;
            } else if (inFlight != null) {
                takeAnswer();
            } else {
                return false;
            }
        }
        return true;
    }

    @Override
    public KvldsResponse.Pair next() {
        if (!hasNext()) {
            throw new NoSuchElementException("range exhausted");
        }
        KvldsResponse.Pair pair = nextPair;
        nextPair = null;
        return pair;
    }

    /**
     * The largest answer this cursor has held, in dump bytes ({@code 2 + klen
     * + vlen} per pair): what its memory bound is made of.
     */
    public long largestAnswerBytes() {
        return largestAnswerBytes;
    }

    private void takeAnswer() {
        KvldsResponse.Range range = await(inFlight);
        answerStart = start;
        Key next = range.next();
        if (next.isEmpty() || (!end.isEmpty() && next.compareTo(end) >= 0)) {
            inFlight = null;
        } else if (next.compareTo(start) <= 0) {
            throw new UncheckedIOException(new IOException("RANGE made no progress: start=" + start + " next=" + next));
        } else {
            start = next;
            inFlight = client.range(next, end, budgetBytes);
        }
        long bytes = 0;
        for (KvldsResponse.Pair pair : range.pairs()) {
            bytes += 2 + pair.key().length() + pair.value().length();
        }
        largestAnswerBytes = Math.max(largestAnswerBytes, bytes);
        answer = range.pairs().iterator();
    }

    private void checkOrder(Key key) {
        if (key.compareTo(answerStart) < 0) {
            throw new UncheckedIOException(new IOException("RANGE out of order: key " + key + " below start " + answerStart));
        }
        if (lastKey != null && key.compareTo(lastKey) <= 0) {
            throw new UncheckedIOException(new IOException("RANGE out of order: key " + key + " after " + lastKey));
        }
        lastKey = key;
    }

    private static <T> T await(CompletableFuture<T> future) {
        try {
            return future.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new UncheckedIOException(new IOException("interrupted while waiting for RANGE", e));
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            throw new UncheckedIOException(cause instanceof IOException ? (IOException) cause
                    : new IOException(String.valueOf(cause.getMessage()), cause));
        }
    }
}
