package io.kivaloo.kvlds.btree;

import io.kivaloo.kvlds.cache.PageCache;
import io.kivaloo.kvlds.page.LeafPage;
import io.kivaloo.kvlds.page.Page;
import io.kivaloo.kvlds.page.PageValidator;
import io.kivaloo.kvlds.page.ParentPage;
import io.kivaloo.kvlds.store.PageStore;
import io.kivaloo.proto.kvlds.Key;
import io.kivaloo.proto.kvlds.KvldsRequest;
import io.kivaloo.proto.kvlds.KvldsResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The log-structured copy-on-write B+tree: the committed version that reads
 * use, the log's next block, and the batches of modifications in flight (at
 * most two, {@link BatchPipeline}).
 *
 * <p>Threading: owner thread only (the event loop serving clients, on which
 * the store's answers also arrive). No locks: nothing else touches it.
 *
 * <p>Failure: the first store failure or corrupt page is kept, the fatal
 * handler is told once, and from then on nothing more is answered or
 * written (fail-stop: after a failed write nobody knows what lbs holds).
 */
public final class BTree {

    private static final Logger log = LoggerFactory.getLogger(BTree.class);

    private final PageStore store;
    private final PageValidator validator;
    private final PageCache cache;
    private final Consumer<Throwable> fatalHandler;
    private final List<TreeVersion> readVersions = new ArrayList<>();
    private TreeVersion committed;
    private long nextBlock;
    private final BatchPipeline batches = new BatchPipeline(this);
    private Throwable failure;
    private long batchesCommitted;
    private long pagesWritten;

    /**
     * @param root       the committed root, found by start-up recovery
     * @param nextBlock  the log's next block
     * @param cachePages page cache capacity
     * @param fatal      told once when the tree cannot go on
     */
    public BTree(PageStore store, Page root, long nextBlock, int cachePages, Consumer<Throwable> fatal) {
        this(store, root, nextBlock, cachePages, fatal, new PageValidator(store.blockSize()));
    }

    /** As above with the page checks given: tests make kvlds's own pages fail them. */
    BTree(PageStore store, Page root, long nextBlock, int cachePages, Consumer<Throwable> fatal, PageValidator validator) {
        this.store = store;
        this.validator = validator;
        this.fatalHandler = fatal;
        this.cache = new PageCache(cachePages, store, validator, () -> this.nextBlock, this::fail);
        this.committed = new TreeVersion(root);
        this.nextBlock = nextBlock;
    }

    public TreeVersion committed() {
        return committed;
    }

    public long nextBlock() {
        return nextBlock;
    }

    public int blockSize() {
        return store.blockSize();
    }

    public PageCache cache() {
        return cache;
    }

    PageValidator validator() {
        return validator;
    }

    PageStore store() {
        return store;
    }

    /** Pages between the oldest live leaf and the end of the log: live pages plus garbage (for the cleaner). */
    public long npages() {
        return nextBlock - committed.oldestLeaf();
    }

    public boolean failed() {
        return failure != null;
    }

    public Throwable failure() {
        return failure;
    }

    /** Whether any batch has not finished (been answered). */
    public boolean batchRunning() {
        return batches.running();
    }

    /** Whether a batch may start now: none in flight, or one whose APPEND is at lbs and nothing prepared on it. */
    public boolean acceptsBatch() {
        return batches.accepts();
    }

    /** Whether a batch in flight rewrites leaves the cleaner picked (the committed tree still shows them old). */
    public boolean cleaningInFlight() {
        return batches.carriesPicks();
    }

    /** Batches that wrote pages, and the pages they wrote. */
    public long batchesCommitted() {
        return batchesCommitted;
    }

    public long pagesWritten() {
        return pagesWritten;
    }

    /** GET on the committed version: the value, or null when absent. */
    public void get(Key key, Consumer<Key> done) {
        LeafPage cached = cachedLeaf(committed.root(), key);
        if (cached != null) {
            int i = cached.find(key);
            done.accept(i >= 0 ? cached.value(i) : null);
            return;
        }
        TreeVersion version = enter();
        Descent.find(cache, this::fail, version.root(), key, null, (leaf, d) -> {
            leave(version);
            int i = leaf.find(key);
            done.accept(i >= 0 ? leaf.value(i) : null);
        });
    }

    /**
     * The leaf for {@code key} if every page on the way down is cached, else
     * null. Most GETs end here: nothing is allocated and no version is
     * entered, since the walk runs to the end on the owner thread and no
     * commit or FREE can happen meanwhile. Anything unusual (a page-in, a
     * child at the wrong height) is left to {@link Descent}, which handles it.
     */
    private LeafPage cachedLeaf(Page root, Key key) {
        Page node = root;
        while (!node.isLeaf()) {
            ParentPage parent = (ParentPage) node;
            Page child = cache.get(parent.childBlock(parent.childIndex(key)));
            if (child == null || child.height() != parent.height() - 1 || child.isRoot()) {
                return null;
            }
            node = child;
        }
        return (LeafPage) node;
    }

    /** RANGE on the committed version (see {@link RangeScan}). */
    public void range(KvldsRequest.Range request, Consumer<KvldsResponse.Range> done) {
        TreeVersion version = enter();
        long leaves = Math.max(1, Math.min(request.maxBytes() / blockSize(), 1024));
        new RangeScan(cache, this::fail, version, request, (int) leaves, r -> {
            leave(version);
            done.accept(r);
        }).start();
    }

    /**
     * Applies {@code requests} in order as one batch, writes the changed
     * nodes with one APPEND and commits; then {@code done} gets one status
     * per request. Only when {@link #acceptsBatch}.
     */
    public void execute(List<KvldsRequest.Modifying> requests, Consumer<int[]> done) {
        execute(requests, List.of(), outcome -> done.accept(outcome.statuses()));
    }

    /**
     * As above, and also rewrites, unchanged, the leaves holding the keys in
     * {@code cleaning} (the cleaner's picks), in the same APPEND.
     */
    public void execute(List<KvldsRequest.Modifying> requests, List<Key> cleaning, Consumer<BatchOutcome> done) {
        execute(requests, cleaning, () -> { }, done);
    }

    /**
     * As above; {@code appended} runs once the batch's APPEND has been sent
     * to lbs, from when the next batch may be prepared on top of it. {@code
     * done} runs once the batch committed and every batch before it did.
     */
    public void execute(List<KvldsRequest.Modifying> requests, List<Key> cleaning, Runnable appended, Consumer<BatchOutcome> done) {
        batches.start(requests, cleaning, appended, done);
    }

    /**
     * Finds leaves worth cleaning on the committed version: about
     * {@code wanted} leaves below {@code threshold}, oldest first, in groups
     * of siblings (see {@link OldLeafSearch}); {@code done} gets one key
     * inside each, or an empty list when no leaf is below the threshold.
     */
    public void findOldLeaves(long threshold, int wanted, Consumer<List<Key>> done) {
        TreeVersion version = enter();
        OldLeafSearch.find(cache, this::fail, version.root(), threshold, wanted, keys -> {
            leave(version);
            done.accept(keys);
        });
    }

    /** Called by the batch once its APPEND is durable: its version becomes the committed one. */
    void commit(TreeVersion version, long newNextBlock, int pages) {
        committed = version;
        nextBlock = newNextBlock;
        batchesCommitted++;
        pagesWritten += pages;
    }

    /**
     * The block below which lbs may delete: the oldest live leaf of the
     * committed version and of every version a read or batch is still using.
     */
    public long freeBound() {
        long bound = committed.oldestLeaf();
        for (TreeVersion v : readVersions) {
            if (Long.compareUnsigned(v.oldestLeaf(), bound) < 0) {
                bound = v.oldestLeaf();
            }
        }
        return bound;
    }

    private TreeVersion enter() {
        return enter(committed);
    }

    /** Holds {@code v}'s pages from FREE until {@link #leave}: a read or batch is using them. */
    TreeVersion enter(TreeVersion v) {
        if (!v.hasReaders()) {
            readVersions.add(v);
        }
        v.enter();
        return v;
    }

    void leave(TreeVersion v) {
        v.leave();
        if (!v.hasReaders()) {
            readVersions.remove(v);
        }
    }

    /** Keeps the first failure and tells the owner; later ones are only logged. */
    void fail(Throwable cause) {
        if (failure != null) {
            log.debug("further failure after the first reason={}", cause.getMessage());
            return;
        }
        failure = cause;
        log.error("kvlds cannot go on: {}", cause.getMessage(), cause);
        fatalHandler.accept(cause);
    }
}
