package io.kivaloo.kvlds.cleaner;

import io.kivaloo.kvlds.btree.BTree;
import io.kivaloo.proto.kvlds.Key;
import java.util.List;

/**
 * Background log cleaning (kvlds.md §10): decides how many old leaves to
 * rewrite at the head of the log, so that the oldest live page moves forward
 * and FREE can release the tail, at the rate the storage:I/O cost ratio
 * {@code -S} asks for.
 *
 * <p>Cost model. {@code S} is what storing 1 GB for a month costs, in units
 * of what 10^6 I/Os cost. Keeping one garbage page of B bytes for one second
 * costs {@code B / 1e9 / 2.592e6 * S} of the cost of one I/O, so it is worth
 * one page rewrite once its garbage has been kept for {@code 1 / rate}
 * page-seconds, with
 * <pre>
 *   rate = B × S / 2.592e9     page rewrites owed per second per garbage page
 * </pre>
 * Once a second, {@link #tick} adds {@code garbage × rate} to a debt, where
 * garbage = log span - live pages. Every clean page that any batch rewrites
 * (for a request, a merge or the cleaner) repays {@code age / span}: an old
 * page pays back nearly one cleaning, a young one little, so ordinary
 * updates that already move the log forward leave the cleaner idle. The
 * debt is clamped to +-(live pages) so neither a long idle spell nor a burst
 * of writes swings it without bound.
 *
 * <p>Space bound. Whatever the debt, the span is held near
 * {@code maxSpanRatio × live pages} ({@link CleaningPolicy}): after every
 * batch the cleaner picks every leaf that the next batch's pages would push
 * past that span (below {@code nextBlock + pages of the last batch -
 * maxSpanRatio × live}), oldest first, so that the tail advances as fast as
 * the head. The cost model still decides on top of it, for cold data.
 *
 * <p>While the debt is positive, the cleaner picks about that many old
 * leaves, oldest first, in groups of siblings ({@link BTree#findOldLeaves};
 * "old" means below {@code nextBlock - live/2}, so a cleaned page is not
 * cleaned again soon), at most a sixteenth of the cache at a time, and hands
 * them to the next batch, which rewrites them with its own pages. When no
 * batch comes along, the dispatcher starts an empty one
 * ({@link #IDLE_CLEANING_DELAY_NANOS}). One set of picks is in hand at a
 * time; the next search starts once a batch has taken it.
 *
 * <p>Safety: cleaning only dirties leaves unchanged, through the same
 * copy-on-write batches as requests; what clients see cannot change, and
 * FREE still names only the committed version's oldest leaf.
 *
 * <p>Owner thread only.
 */
public final class Cleaner {

    /** Bytes in the GB of the cost model. */
    static final double BYTES_PER_GB = 1e9;
    /** Seconds in the month of the cost model (30 days). */
    static final double SECONDS_PER_MONTH = 86400.0 * 30;
    /** I/Os per cost unit of S. */
    static final double IOS_PER_UNIT = 1e6;
    /** How long a ready group waits for a batch to ride along with before one is started for it. */
    public static final long IDLE_CLEANING_DELAY_NANOS = 5_000_000_000L;

    private final BTree tree;
    private final double rate;
    /** Span bound over live pages; 0 when there is none. */
    private final double maxSpanRatio;
    /** Pages the last batch appended: about how far the next batch moves the head. */
    private long lastBatchPages;
    private double debt;
    private boolean searching;
    private List<Key> ready = List.of();
    private long leavesPicked;
    private long groups;

    /**
     * @param policy  -S and the span bound; S = 0 turns all cleaning off
     * @param enabled false when the store is sparse (a new tree's first APPEND did not land at block 0)
     */
    public Cleaner(BTree tree, CleaningPolicy policy, boolean enabled) {
        this.tree = tree;
        this.rate = enabled ? rate(tree.blockSize(), policy.storageCost()) : 0;
        this.maxSpanRatio = rate > 0 ? policy.maxSpanRatio() : 0;
    }

    /** Page rewrites owed per second per garbage page (see the class comment). */
    public static double rate(int blockSize, double storageCost) {
        return blockSize / BYTES_PER_GB / SECONDS_PER_MONTH * storageCost * IOS_PER_UNIT;
    }

    public boolean enabled() {
        return rate > 0;
    }

    /** Once a second: add the cost of the garbage kept, then look for work if some is owed. */
    public void tick() {
        if (!enabled() || tree.failed()) {
            return;
        }
        long live = tree.committed().nnodes();
        long garbage = tree.npages() - live;
        if (garbage > 0) {
            debt += garbage * rate;
        }
        clamp();
        searchIfOwed();
    }

    /** A batch appended {@code pagesWritten} pages and rewrote clean pages worth {@code repaid} cleanings. */
    public void batchDone(double repaid, int pagesWritten) {
        if (!enabled()) {
            return;
        }
        debt -= repaid;
        lastBatchPages = pagesWritten;
        clamp();
    }

    /**
     * Starts a search for old leaves if cleaning is owed and none is in hand
     * or under way. Never while a batch carrying picks is in flight: the
     * committed tree still shows them at their old blocks, so they would be
     * picked again and written twice; that batch's end searches. A batch
     * without picks does not hold the search back: under load one is always
     * in flight (pipelined), and the cleaner would never search.
     */
    public void searchIfOwed() {
        if (!enabled() || searching || !ready.isEmpty() || tree.failed() || tree.cleaningInFlight()) {
            return;
        }
        long live = tree.committed().nnodes();
        // Never pick a leaf written in the last live/2 pages: it would be
        // cleaned again and again (kvlds.md §10.4's "old").
        long oldLimit = tree.nextBlock() - live / 2;
        // A batch never pins more than a sixteenth of the cache for its picks.
        int most = Math.max(1, tree.cache().capacity() / 16);
        long threshold;
        int wanted;
        long spaceThreshold = Math.min(oldLimit, spaceThreshold(live));
        if (Long.compareUnsigned(tree.committed().oldestLeaf(), spaceThreshold) < 0) {
            threshold = spaceThreshold;
            wanted = most;
        } else if (debt > 0) {
            threshold = oldLimit;
            // Pay the whole debt at once if it is small.
            wanted = (int) Math.max(1, Math.min(Math.ceil(debt), most));
        } else {
            return;
        }
        searching = true;
        tree.findOldLeaves(threshold, wanted, keys -> {
            searching = false;
            if (!keys.isEmpty()) {
                ready = keys;
                leavesPicked += keys.size();
                groups++;
            }
        });
    }

    /**
     * Leaves below this block must be rewritten by the next batch for the
     * span to stay within the bound once that batch's pages are appended;
     * 0 (nothing below it) without a bound.
     */
    private long spaceThreshold(long live) {
        if (maxSpanRatio == 0) {
            return 0;
        }
        long allowed = (long) Math.ceil(maxSpanRatio * live);
        return Math.max(0, tree.nextBlock() + lastBatchPages - allowed);
    }

    public boolean hasReady() {
        return !ready.isEmpty();
    }

    /** The picked leaves (a key inside each), for the batch about to start; the cleaner then holds none. */
    public List<Key> takeReady() {
        List<Key> keys = ready;
        ready = List.of();
        return keys;
    }

    public double debt() {
        return debt;
    }

    public double rate() {
        return rate;
    }

    /** Leaves picked for cleaning since start-up. */
    public long leavesPicked() {
        return leavesPicked;
    }

    public long groups() {
        return groups;
    }

    private void clamp() {
        double live = tree.committed().nnodes();
        debt = Math.max(-live, Math.min(live, debt));
    }
}
