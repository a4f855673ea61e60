package io.kivaloo.kvlds.btree;

import io.kivaloo.kvlds.page.CorruptPageException;
import io.kivaloo.proto.kvlds.Key;
import io.kivaloo.proto.kvlds.KvldsRequest;
import java.io.IOException;
import java.util.List;
import java.util.function.Consumer;

/**
 * One group commit (kvlds.md §6.3), phase after phase on one
 * {@link DirtyTree}:
 * <ol>
 *   <li><b>load</b> ({@link BatchLoad}): pin the path to every key;</li>
 *   <li><b>apply</b> ({@link BatchApply}): run the requests in arrival order
 *       on dirty copies, then dirty the cleaner's picks;</li>
 *   <li><b>rebalance</b> ({@link BatchRebalance}): split, repack, merge,
 *       deroot;</li>
 *   <li><b>sync</b> ({@link BatchSync}): serialize and check the pages, and
 *       APPEND them in one request;</li>
 *   <li><b>commit</b>, only once lbs acknowledged the APPEND: the new root
 *       becomes the committed version, then the statuses are released.</li>
 * </ol>
 * A batch that dirtied nothing skips 3-5 and answers at once.
 */
final class Batch {

    private final BTree tree;
    private final List<KvldsRequest.Modifying> requests;
    /** One key inside each leaf the cleaner wants rewritten. */
    private final List<Key> cleaning;
    private final Consumer<BatchOutcome> done;
    private final DirtyTree dirty;
    private int[] statuses;
    private WrittenPages written;

    Batch(BTree tree, TreeVersion base, List<KvldsRequest.Modifying> requests, List<Key> cleaning, Consumer<BatchOutcome> done) {
        this.tree = tree;
        this.requests = requests;
        this.cleaning = cleaning;
        this.done = done;
        this.dirty = new DirtyTree(base, tree.nextBlock());
    }

    void start() {
        BatchLoad.load(dirty, tree.cache(), tree::fail, requests, cleaning, this::apply);
    }

    private void apply() {
        statuses = BatchApply.apply(dirty, requests, cleaning);
        if (dirty.root == null) {
            done.accept(new BatchOutcome(statuses, 0, 0));
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
        long firstBlock = written.firstBlock();
        int count = written.count();
        tree.store().append(firstBlock, count, written.data()).whenComplete((next, failure) -> {
            if (failure != null) {
                tree.fail(new IOException("lbs APPEND failed block=" + Long.toUnsignedString(firstBlock) + " count=" + count
                        + ": " + failure.getMessage(), failure));
            } else {
                committed(next);
            }
        });
    }

    private void committed(long next) {
        if (Long.compareUnsigned(next, written.end()) < 0) {
            tree.fail(new IOException("lbs APPEND returned next block " + Long.toUnsignedString(next) + " (expected: >= "
                    + Long.toUnsignedString(written.end()) + ")"));
            return;
        }
        for (long block : dirty.superseded()) {
            tree.cache().drop(block);
        }
        for (var page : written.pages()) {
            tree.cache().put(page);
        }
        tree.commit(written.root(), next, written.count());
        done.accept(new BatchOutcome(statuses, written.count(), dirty.repaid()));
    }
}
