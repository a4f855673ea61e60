package io.kivaloo.cli;

import io.kivaloo.proto.kvlds.Key;
import io.kivaloo.proto.kvlds.KvldsResponse;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * The pairs with {@code start <= key < end} (an empty end: to the end of the
 * keyspace), in key order, one RANGE answer at a time (kvlds.md §2.2): ask
 * from {@code start} with a {@value #BUDGET_BYTES}-byte budget, then from each
 * answer's {@code next}, until {@code next} is "" (the keyspace's end) or at
 * least {@code end}.
 *
 * <p>Constant memory: the next RANGE is sent when an answer arrives, before
 * its pairs are handed out, so at most two answers (about 2 MiB) are held
 * however many pairs there are. A pair at or above {@code end} is dropped:
 * the C kvlds may return a key equal to {@code end} (§2.2, its deviation).
 * A server that goes backwards or makes no progress is a protocol error
 * (exit 3), not a loop.
 */
final class RangeStream {

    /** Bytes of pairs asked for per RANGE, as the C client (0x100000). */
    static final long BUDGET_BYTES = 0x100000;

    private final Session session;
    private final Key end;
    private Key from;
    private Key last;
    private CompletableFuture<KvldsResponse.Range> pending;

    RangeStream(Session session, Key start, Key end) {
        this.session = session;
        this.end = end;
        this.from = start;
        this.pending = request(start);
    }

    /** The next answer's pairs (possibly none), or null once the range is covered. */
    List<KvldsResponse.Pair> next() throws ServerFailureException {
        if (pending == null) {
            return null;
        }
        KvldsResponse.Range answer = session.await(pending, "RANGE");
        Key next = answer.next();
        boolean covered = next.isEmpty() || (!end.isEmpty() && next.compareTo(end) >= 0);
        if (!covered && next.compareTo(from) <= 0) {
            throw new ServerFailureException("RANGE from " + session.address().text() + " made no progress: start="
                    + from + " next=" + next);
        }
        pending = covered ? null : request(next);
        List<KvldsResponse.Pair> pairs = new ArrayList<>(answer.pairs().size());
        for (KvldsResponse.Pair pair : answer.pairs()) {
            checkOrder(pair.key());
            if (end.isEmpty() || pair.key().compareTo(end) < 0) {
                pairs.add(pair);
            }
        }
        from = next;
        return pairs;
    }

    private CompletableFuture<KvldsResponse.Range> request(Key start) {
        return session.client().range(start, end, BUDGET_BYTES);
    }

    /** Keys increase across answers and are not below the answer's start. */
    private void checkOrder(Key key) throws ServerFailureException {
        if (key.compareTo(from) < 0 || (last != null && key.compareTo(last) <= 0)) {
            throw new ServerFailureException("RANGE from " + session.address().text() + " out of order: key " + key
                    + (last == null ? " below start " + from : " after " + last));
        }
        last = key;
    }
}
