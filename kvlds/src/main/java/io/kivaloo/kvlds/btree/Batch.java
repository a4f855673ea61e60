package io.kivaloo.kvlds.btree;

import io.kivaloo.kvlds.page.CorruptPageException;
import io.kivaloo.proto.kvlds.Key;
import io.kivaloo.proto.kvlds.KvldsRequest;
import java.util.List;

/**
 * One group commit (kvlds.md §6.3), phase after phase on one
 * {@link DirtyTree}:
 * <ol>
 *   <li><b>load</b> ({@link BatchLoad}): pin the path to every key;</li>
 *   <li><b>apply</b> ({@link BatchApply}): run the requests in arrival order
 *       on dirty copies, then dirty the cleaner's picks;</li>
 *   <li><b>rebalance</b> ({@link BatchRebalance}): split, repack, merge,
 *       deroot;</li>
 *   <li><b>sync</b> ({@link BatchSync}): serialize and check the pages;</li>
 *   <li><b>commit</b> ({@link #commit}), called by the {@link BatchPipeline}
 *       once lbs acknowledged the APPEND of those pages: the new root becomes
 *       the committed version.</li>
 * </ol>
 * A batch that dirtied nothing skips rebalance and sync, and has nothing to
 * append. When the batch is prepared (synced, or found to change nothing) it
 * tells its pipeline, which decides when its APPEND goes and when its
 * outcome is released.
 */
final class Batch {

    private final BTree tree;
    final List<KvldsRequest.Modifying> requests;
    /** One key inside each leaf the cleaner wants rewritten. */
    final List<Key> cleaning;
    private final DirtyTree dirty;
    private final Runnable prepared;
    private int[] statuses;
    /** Null until synced, and for a batch that changed nothing. */
    private WrittenPages written;
    /** The version the written pages make, once synced: the next batch's base. */
    private TreeVersion result;
    private boolean isPrepared;

    /** @param prepared runs once the batch is prepared: synced, or known to write nothing */
    Batch(BTree tree, DirtyTree dirty, List<KvldsRequest.Modifying> requests, List<Key> cleaning, Runnable prepared) {
        this.tree = tree;
        this.dirty = dirty;
        this.requests = requests;
        this.cleaning = cleaning;
        this.prepared = prepared;
    }

    void start() {
        BatchLoad.load(dirty, tree.cache(), tree::fail, requests, cleaning, this::apply);
    }

    TreeVersion base() {
        return dirty.base;
    }

    /** Where this batch's pages go: its APPEND's block number. */
    long head() {
        return dirty.head;
    }

    boolean isPrepared() {
        return isPrepared;
    }

    /** The pages to append; null when the batch changed nothing (or is not prepared yet). */
    WrittenPages written() {
        return written;
    }

    /** The tree as this batch leaves it; null until synced. */
    TreeVersion result() {
        return result;
    }

    private void apply() {
        statuses = BatchApply.apply(dirty, requests, cleaning);
        if (dirty.root == null) {
            isPrepared = true;
            prepared.run();
            return;
        }
        BatchRebalance.rebalance(dirty, tree.cache(), tree.blockSize(), this::sync);
    }

    private void sync() {
        try {
            written = BatchSync.write(dirty, tree.blockSize(), tree.validator());
        } catch (CorruptPageException e) {
            tree.fail(new IllegalStateException("kvlds wrote an invalid page (nothing of this batch was sent to lbs): "
                    + e.getMessage(), e));
            return;
        }
        result = new TreeVersion(written.root());
        isPrepared = true;
        prepared.run();
    }

    /**
     * lbs acknowledged the APPEND, which ended before {@code next}: the old
     * copies of the pages the batch rewrote leave the cache (garbage now; left
     * there they would push live pages out), its own pages enter it, and its
     * root becomes the committed version.
     */
    void commit(long next) {
        for (long block : dirty.superseded()) {
            tree.cache().drop(block);
        }
        for (var page : written.pages()) {
            tree.cache().put(page);
        }
        tree.commit(result, next, written.count());
    }

    /** Statuses and accounts, for the dispatcher; released only once every earlier batch committed. */
    BatchOutcome outcome() {
        return new BatchOutcome(statuses, written == null ? 0 : written.count(), dirty.repaid());
    }
}
