package io.kivaloo.kvlds.btree;

import io.kivaloo.kvlds.cache.PageCache;
import io.kivaloo.kvlds.page.LeafPage;
import io.kivaloo.proto.kvlds.Key;
import io.kivaloo.proto.kvlds.KvldsCodec;
import io.kivaloo.proto.kvlds.KvldsRequest;
import io.kivaloo.proto.kvlds.KvldsResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * One RANGE request (kvlds.md §2.2), on one committed version: pairs with
 * start <= key < end (empty end: no bound) in key order, leaf after leaf.
 * It stops
 * <ul>
 *   <li>at the first key >= end, or at the end of the keyspace: next = end
 *       (which is "" for an empty end);</li>
 *   <li>before a pair that would take the pairs' size (2 + |k| + |v| each)
 *       over the budget, once it has one pair: next = that pair's key;</li>
 *   <li>before a pair that would take what the scan holds past
 *       {@link io.kivaloo.proto.kvlds.KvldsCodec#MAX_RANGE_PAIR_BYTES},
 *       counted as {@link RangeBudget} says, once it has one pair: next = that
 *       pair's key (so a RANGE with a huge max still holds a few MiB);</li>
 *   <li>after {@code maxLeaves} leaves: next = the last leaf's upper bound.</li>
 * </ul>
 * So every key in [start, next) has been returned, and next > start unless
 * the range is finished. Unlike the C kvlds it never returns a key equal to
 * end (the documented contract; the C client filters anyway).
 */
final class RangeScan {

    private final PageCache cache;
    private final Consumer<Throwable> fatal;
    private final TreeVersion version;
    private final KvldsRequest.Range request;
    private final Key end;
    private final Consumer<KvldsResponse.Range> done;
    private final List<KvldsResponse.Pair> pairs = new ArrayList<>();
    /** Wire bytes of {@link #pairs}, against the request's max. */
    private long bytes;
    /** Bytes {@link #pairs} hold in the heap, against the scan's own bound (see {@link RangeBudget}). */
    private long held;
    private int leavesLeft;
    /** Trampoline: the next leaf's lower bound when a descent finished synchronously. */
    private Key pending;
    private boolean descending;

    RangeScan(PageCache cache, Consumer<Throwable> fatal, TreeVersion version, KvldsRequest.Range request, int maxLeaves,
              Consumer<KvldsResponse.Range> done) {
        this.cache = cache;
        this.fatal = fatal;
        this.version = version;
        this.request = request;
        this.end = request.end().isEmpty() ? null : request.end();
        this.leavesLeft = maxLeaves;
        this.done = done;
    }

    void start() {
        descendFrom(request.start());
    }

    private void descendFrom(Key from) {
        pending = from;
        if (descending) {
            return; // the loop below picks it up: no recursion per leaf
        }
        descending = true;
        while (pending != null) {
            Key next = pending;
            pending = null;
            Descent.find(cache, fatal, version.root(), next, null, (leaf, d) -> scan(leaf, d, next));
        }
        descending = false;
    }

    private void scan(LeafPage leaf, Descent descent, Key from) {
        int n = leaf.keyCount();
        for (int i = leaf.lowerBound(from); i < n; i++) {
            if (end != null && leaf.compareKey(i, end) >= 0) {
                finish(request.end());
                return;
            }
            int size = leaf.pairSize(i);
            long pairHeld = RangeBudget.heldBytes(size);
            if (!pairs.isEmpty() && (bytes + size > request.maxBytes()
                    || held + pairHeld > KvldsCodec.MAX_RANGE_PAIR_BYTES)) {
                finish(leaf.key(i));
                return;
            }
            pairs.add(new KvldsResponse.Pair(leaf.key(i), leaf.value(i)));
            bytes += size;
            held += pairHeld;
        }
        Key high = descent.high();
        if (high == null || (end != null && high.compareTo(end) >= 0)) {
            finish(request.end());
        } else if (--leavesLeft == 0) {
            finish(high);
        } else {
            descendFrom(high);
        }
    }

    private void finish(Key next) {
        done.accept(new KvldsResponse.Range(next, pairs));
    }
}
