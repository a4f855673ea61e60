package io.kivaloo.kvlds.btree;

import io.kivaloo.kvlds.page.Page;
import io.kivaloo.proto.kvlds.Key;
import io.kivaloo.proto.kvlds.KvldsRequest;
import java.io.IOException;
import java.util.List;
import java.util.function.Consumer;

/**
 * The batches in flight, at most two, and the order of their APPENDs,
 * commits and answers (kvlds/DESIGN.md, "Model and threads": pipelined group
 * commit).
 *
 * <p>{@code first} is the oldest batch not committed; its APPEND is sent as
 * soon as it is prepared. A {@code second} batch may start only once
 * first's APPEND has been sent: first's pages are then written, checked and
 * immutable, so second applies its requests on top of them (they are pinned
 * for it from the start, since lbs cannot serve them before it acknowledges
 * them) while first's APPEND is at lbs. Second's pages are numbered from the
 * end of first's APPEND.
 *
 * <p>The order, which is what makes the overlap safe:
 * <ol>
 *   <li>second's APPEND is sent only after first's was acknowledged and
 *       first committed (lbs takes one APPEND at a time, and second's pages
 *       refer to first's);</li>
 *   <li>second's outcome, even one that wrote nothing, is released only
 *       after first's (its statuses may depend on first's changes, which
 *       are durable only then);</li>
 *   <li>nothing of second is ever reachable from the committed version until
 *       second commits: reads start on the committed root, and second's
 *       pages enter the cache only when second commits;</li>
 *   <li>when first's APPEND fails the tree fails, and second is neither
 *       appended nor answered (fail-stop).</li>
 * </ol>
 * If lbs answers first's APPEND with a next block beyond its end (the
 * protocol allows a sparse block space; no lbs we know does it), second's
 * pages carry the wrong numbers: it is prepared again from the committed
 * version, which changes nothing anyone has seen.
 *
 * <p>Owner thread only.
 */
final class BatchPipeline {

    private final BTree tree;
    private Flight first;
    private Flight second;

    BatchPipeline(BTree tree) {
        this.tree = tree;
    }

    /** Whether a batch may start: none in flight, or one alone whose APPEND was sent. */
    boolean accepts() {
        return first == null || (second == null && first.appended);
    }

    /** Whether any batch has not finished. */
    boolean running() {
        return first != null;
    }

    /** Whether a batch not yet committed rewrites leaves the cleaner picked. */
    boolean carriesPicks() {
        return first != null && !first.batch.cleaning.isEmpty() || second != null && !second.batch.cleaning.isEmpty();
    }

    /**
     * Starts a batch on the committed version, or on first's pages when first
     * is at lbs. {@code appended} runs once its APPEND is sent (the next batch
     * may then start), {@code done} once it committed and every earlier batch
     * did.
     */
    void start(List<KvldsRequest.Modifying> requests, List<Key> cleaning, Runnable appended, Consumer<BatchOutcome> done) {
        if (!accepts()) {
            throw new IllegalStateException("two batches are in flight, or one is still being prepared");
        }
        Flight f = new Flight(appended, done);
        if (first == null) {
            first = f;
        } else {
            second = f;
        }
        f.batch = prepare(f, requests, cleaning);
        f.batch.start();
    }

    private Batch prepare(Flight f, List<KvldsRequest.Modifying> requests, List<Key> cleaning) {
        DirtyTree dirty;
        if (f == second) {
            WrittenPages below = first.batch.written();
            dirty = new DirtyTree(tree.enter(first.batch.result()), below.end());
            for (Page page : below.pages()) {
                dirty.pins.put(page);
            }
        } else {
            dirty = new DirtyTree(tree.enter(tree.committed()), tree.nextBlock());
        }
        return new Batch(tree, dirty, requests, cleaning, () -> prepared(f));
    }

    private void prepared(Flight f) {
        if (f == first) {
            advance();
        }
        // A second batch waits for first's commit (rules 1 and 2).
    }

    /** First is prepared: send its APPEND, or, when it wrote nothing, release its outcome. */
    private void advance() {
        if (tree.failed()) {
            return;
        }
        Flight f = first;
        WrittenPages written = f.batch.written();
        if (written == null) {
            first = null;
            finish(f);
            return;
        }
        if (f.batch.head() != tree.nextBlock()) {
            // Prepared on first's pages, which lbs placed elsewhere than they promised: number again.
            tree.leave(f.batch.base());
            f.batch = prepare(f, f.batch.requests, f.batch.cleaning);
            f.batch.start();
            return;
        }
        f.appended = true;
        long firstBlock = written.firstBlock();
        int count = written.count();
        tree.store().append(firstBlock, written.blocks()).whenComplete((next, failure) -> {
            if (failure != null) {
                tree.fail(new IOException("lbs APPEND failed block=" + Long.toUnsignedString(firstBlock) + " count=" + count
                        + ": " + failure.getMessage(), failure));
            } else {
                acknowledged(f, next);
            }
        });
        f.appendedCallback.run();
    }

    /** First's APPEND is durable: commit it, promote second, release first's outcome, then go on with second. */
    private void acknowledged(Flight f, long next) {
        WrittenPages written = f.batch.written();
        if (Long.compareUnsigned(next, written.end()) < 0) {
            tree.fail(new IOException("lbs APPEND returned next block " + Long.toUnsignedString(next) + " (expected: >= "
                    + Long.toUnsignedString(written.end()) + ")"));
            return;
        }
        f.batch.commit(next);
        // Promote before answering: the answers' callback asks whether a batch
        // can start, and while the promoted batch's APPEND is not sent none may.
        Flight promoted = second;
        first = promoted;
        second = null;
        finish(f);
        if (promoted != null && promoted.batch.isPrepared()) {
            advance();
        }
    }

    private void finish(Flight f) {
        tree.leave(f.batch.base());
        f.done.accept(f.batch.outcome());
    }

    /** A batch with its callbacks; the batch is replaced when it must be prepared again. */
    private static final class Flight {
        final Runnable appendedCallback;
        final Consumer<BatchOutcome> done;
        Batch batch;
        boolean appended;

        Flight(Runnable appendedCallback, Consumer<BatchOutcome> done) {
            this.appendedCallback = appendedCallback;
            this.done = done;
        }
    }
}
