package io.kivaloo.kvlds.btree;

import io.kivaloo.kvlds.page.CorruptPageException;
import io.kivaloo.kvlds.page.LeafPage;
import io.kivaloo.kvlds.page.Page;
import io.kivaloo.kvlds.page.PageExpectation;
import io.kivaloo.kvlds.page.PageFormat;
import io.kivaloo.kvlds.page.PageWriter;
import io.kivaloo.kvlds.page.ParentPage;
import io.kivaloo.proto.kvlds.Key;
import io.kivaloo.proto.kvlds.KvldsRequest;
import io.kivaloo.proto.kvlds.KvldsResponse;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * One group commit (kvlds.md §6.3), in phases:
 * <ol>
 *   <li><b>load</b>: descend the committed tree for every request's key,
 *       fetching missing pages in parallel; every page on those paths is
 *       pinned (held in {@link #pins}) for the rest of the batch;</li>
 *   <li><b>apply</b>: run the requests one by one in arrival order. A
 *       request that cannot change its clean leaf is answered from it; one
 *       that can dirties the leaf and its ancestors (copy-on-write) and is
 *       applied to the dirty copy, so later requests see its effect. Then
 *       the leaves the cleaner picked are dirtied unchanged, so that this
 *       batch rewrites them at the head of the log (kvlds.md §10);</li>
 *   <li><b>rebalance</b> (§5.3): split oversized nodes, merge runs of small
 *       neighbours (fetching clean members if needed), deroot;</li>
 *   <li><b>sync</b>: serialize the dirty nodes post-order (the root last) at
 *       the log's next blocks, check every page as if read back, and APPEND
 *       them in one request;</li>
 *   <li><b>commit</b>, only once lbs acknowledged the APPEND: the new root
 *       becomes the committed version, then the statuses are released.</li>
 * </ol>
 * A batch that dirtied nothing skips 3-5 and answers at once.
 *
 * <p>Every clean page the batch copies repays part of the cleaning debt
 * (§10.3): {@code (nextBlock - block) / npages}, so rewriting an old page
 * counts for almost one cleaning and a young one for little. The sum goes
 * back with the statuses in the {@link BatchOutcome}.
 */
final class Batch {

    private final BTree tree;
    private final TreeVersion base;
    private final List<KvldsRequest.Modifying> requests;
    /** One key inside each leaf the cleaner wants rewritten. */
    private final List<Key> cleaning;
    private final Consumer<BatchOutcome> done;
    private final int blockSize;
    private final int breakAt;
    /** Clean pages the batch uses, held so that eviction cannot take them away mid-batch. */
    private final Map<Long, Page> pins = new HashMap<>();
    private final int[] statuses;
    private int loading;
    /**
     * Key range of the last leaf a descent reached, for the next key to reuse:
     * requests usually come in runs of keys in one leaf (a bulk load sends
     * them sorted), and the tree's shape does not change before rebalancing.
     */
    private boolean lastRangeKnown;
    private Key lastLow;
    private Key lastHigh;
    /** Apply phase: the leaf (LeafPage or DirtyLeaf) of that range. */
    private Object lastLeaf;
    /** The dirty root: null until the first change. */
    private DirtyNode root;
    private long nnodes;
    /** Log span when the batch started, at least 1: the denominator of each repayment. */
    private final double npages;
    private double repaid;
    /** Blocks of the clean pages this batch copied: the new tree no longer uses them once it commits. */
    private long[] superseded = new long[64];
    private int supersededCount;
    // sync state
    private byte[] data;
    /** The pages of {@link #data}, checked before the APPEND; committed once lbs acknowledges it. */
    private Page[] pages;
    private long firstBlock;
    private int written;

    Batch(BTree tree, TreeVersion base, List<KvldsRequest.Modifying> requests, List<Key> cleaning, Consumer<BatchOutcome> done) {
        this.tree = tree;
        this.base = base;
        this.requests = requests;
        this.cleaning = cleaning;
        this.done = done;
        this.npages = Math.max(1, tree.npages());
        this.blockSize = tree.blockSize();
        this.breakAt = PageFormat.breakAt(blockSize);
        this.statuses = new int[requests.size()];
        this.nnodes = base.nnodes();
    }

    void start() {
        loading = 1;
        for (KvldsRequest.Modifying r : requests) {
            load(r.key());
        }
        for (Key k : cleaning) {
            load(k);
        }
        loaded();
    }

    /** Pins the path to {@code key}'s leaf, unless the last leaf found (and pinned) already holds it. */
    private void load(Key key) {
        if (lastRangeKnown && inRange(key, lastLow, lastHigh)) {
            return;
        }
        lastRangeKnown = false;
        loading++;
        Descent.find(tree.cache(), tree::fail, base.root(), key, pins, (leaf, d) -> {
            // Only a descent that finished without a page-in runs this before the next load().
            lastRangeKnown = true;
            lastLow = d.low();
            lastHigh = d.high();
            loaded();
        });
    }

    /** Whether {@code key} is in [low, high); null bounds are open. */
    private static boolean inRange(Key key, Key low, Key high) {
        return (low == null || key.compareTo(low) >= 0) && (high == null || key.compareTo(high) < 0);
    }

    private void loaded() {
        if (--loading == 0) {
            apply();
        }
    }

    // ---- apply -------------------------------------------------------------

    private void apply() {
        // Ranges found while loading name clean pages; the apply phase finds its own.
        lastRangeKnown = false;
        for (int i = 0; i < requests.size(); i++) {
            statuses[i] = applyOne(requests.get(i));
        }
        for (Key k : cleaning) {
            dirtyPath(k).cleaned = true;
        }
        if (root == null) {
            done.accept(new BatchOutcome(statuses, 0, 0));
            return;
        }
        splitAll();
        rebalance();
    }

    private int applyOne(KvldsRequest.Modifying request) {
        Key key = request.key();
        Object node = lastRangeKnown && inRange(key, lastLow, lastHigh) ? lastLeaf : leafOf(key);
        if (node instanceof LeafPage) {
            LeafPage leaf = (LeafPage) node;
            int unchanged = unchangedStatus(request, leaf, leaf.find(key));
            if (unchanged >= 0) {
                return unchanged;
            }
            node = dirtyPath(key);
            lastLeaf = node;
        }
        return mutate((DirtyLeaf) node, request);
    }

    /**
     * The leaf holding {@code key} in the batch's tree (dirty where dirtied,
     * else the pinned clean page), remembered with its range for the next
     * request. Until rebalancing no node splits or merges, so ranges hold.
     */
    private Object leafOf(Key key) {
        Object node = root != null ? root : base.root();
        Key low = null;
        Key high = null;
        while (true) {
            if (node instanceof DirtyParent) {
                DirtyParent p = (DirtyParent) node;
                int i = p.childIndex(key);
                low = i > 0 ? p.separators.get(i - 1) : low;
                high = i < p.separators.size() ? p.separators.get(i) : high;
                Slot slot = p.children.get(i);
                node = slot.isDirty() ? slot.dirty : pinned(slot.block);
            } else if (node instanceof ParentPage) {
                ParentPage p = (ParentPage) node;
                int i = p.childIndex(key);
                low = i > 0 ? p.key(i - 1) : low;
                high = i < p.keyCount() ? p.key(i) : high;
                node = pinned(p.childBlock(i));
            } else {
                break;
            }
        }
        lastRangeKnown = true;
        lastLow = low;
        lastHigh = high;
        lastLeaf = node;
        return node;
    }

    /** The status of a request that would not change this clean leaf, or -1 if it would. */
    private static int unchangedStatus(KvldsRequest.Modifying request, LeafPage leaf, int index) {
        boolean present = index >= 0;
        switch (request.type()) {
            case KvldsRequest.SET:
                return -1;
            case KvldsRequest.ADD:
                return present ? KvldsResponse.STATUS_FAIL : -1;
            case KvldsRequest.MODIFY:
                return present ? -1 : KvldsResponse.STATUS_FAIL;
            case KvldsRequest.DELETE:
                return present ? -1 : KvldsResponse.STATUS_OK;
            case KvldsRequest.CAS:
                return present && leaf.valueEquals(index, ((KvldsRequest.Cas) request).oldValue()) ? -1 : KvldsResponse.STATUS_FAIL;
            case KvldsRequest.CAD:
                return present && leaf.valueEquals(index, ((KvldsRequest.Cad) request).oldValue()) ? -1 : KvldsResponse.STATUS_FAIL;
            default:
                throw new IllegalArgumentException("not a modifying request: " + request);
        }
    }

    /** Applies one request to a dirty leaf; returns its status. */
    private static int mutate(DirtyLeaf leaf, KvldsRequest.Modifying request) {
        Key key = request.key();
        int i = leaf.find(key);
        switch (request.type()) {
            case KvldsRequest.SET: {
                Key value = ((KvldsRequest.Set) request).value();
                if (i >= 0) {
                    leaf.replace(i, value);
                } else {
                    leaf.insert(-i - 1, key, value);
                }
                return KvldsResponse.STATUS_OK;
            }
            case KvldsRequest.ADD:
                if (i >= 0) {
                    return KvldsResponse.STATUS_FAIL;
                }
                leaf.insert(-i - 1, key, ((KvldsRequest.Add) request).value());
                return KvldsResponse.STATUS_OK;
            case KvldsRequest.MODIFY:
                if (i < 0) {
                    return KvldsResponse.STATUS_FAIL;
                }
                leaf.replace(i, ((KvldsRequest.Modify) request).value());
                return KvldsResponse.STATUS_OK;
            case KvldsRequest.DELETE:
                if (i >= 0) {
                    leaf.remove(i);
                }
                return KvldsResponse.STATUS_OK;
            case KvldsRequest.CAS: {
                KvldsRequest.Cas cas = (KvldsRequest.Cas) request;
                if (i < 0 || !leaf.values.get(i).equals(cas.oldValue())) {
                    return KvldsResponse.STATUS_FAIL;
                }
                leaf.replace(i, cas.value());
                return KvldsResponse.STATUS_OK;
            }
            case KvldsRequest.CAD:
                if (i < 0 || !leaf.values.get(i).equals(((KvldsRequest.Cad) request).oldValue())) {
                    return KvldsResponse.STATUS_FAIL;
                }
                leaf.remove(i);
                return KvldsResponse.STATUS_OK;
            default:
                throw new IllegalArgumentException("not a modifying request: " + request);
        }
    }

    /** Copies the clean nodes on the path to {@code key} (root first) and returns the dirty leaf. */
    private DirtyLeaf dirtyPath(Key key) {
        if (root == null) {
            root = copy(base.root());
        }
        DirtyNode node = root;
        while (node instanceof DirtyParent) {
            DirtyParent p = (DirtyParent) node;
            Slot slot = p.children.get(p.childIndex(key));
            if (!slot.isDirty()) {
                slot.dirty = copy(pinned(slot.block));
            }
            node = slot.dirty;
        }
        return (DirtyLeaf) node;
    }

    /** The first dirtying of a clean page in this batch: copy it, and count what that repays of the cleaning debt. */
    private DirtyNode copy(Page page) {
        repaid += (tree.nextBlock() - page.block()) / npages;
        if (supersededCount == superseded.length) {
            superseded = Arrays.copyOf(superseded, supersededCount * 2);
        }
        superseded[supersededCount++] = page.block();
        return DirtyNode.copyOf(page);
    }

    /** A page the load phase pinned; its absence is a bug, never a cache effect. */
    private Page pinned(long block) {
        Page page = pins.get(block);
        if (page == null) {
            throw new IllegalStateException("page not loaded block=" + Long.toUnsignedString(block));
        }
        return page;
    }

    // ---- rebalance ---------------------------------------------------------

    /** Post-order: every dirty node over a page is split; then the root, under new roots, while it is over. */
    private void splitAll() {
        if (root instanceof DirtyParent) {
            splitChildren((DirtyParent) root, true);
        }
        while (root.size() + PageFormat.ROOT_EXTRA > blockSize) {
            ArrayList<Slot> only = new ArrayList<>();
            only.add(new Slot(root));
            DirtyParent newRoot = new DirtyParent(root.height + 1, new ArrayList<>(), only);
            nnodes++;
            splitChild(newRoot, 0, blockSize - PageFormat.ROOT_EXTRA, true);
            if (newRoot.children.size() < 2) {
                throw new IllegalStateException("root of size " + root.size() + " cannot be split");
            }
            root = newRoot;
        }
    }

    /** @param rightmost whether {@code p} is on the tree's rightmost path (no key above its range) */
    private void splitChildren(DirtyParent p, boolean rightmost) {
        int last = p.children.size() - 1;
        for (int i = last; i >= 0; i--) {
            DirtyNode child = p.children.get(i).dirty;
            if (child == null) {
                continue;
            }
            if (child instanceof DirtyParent) {
                splitChildren((DirtyParent) child, rightmost && i == last);
            }
            splitChild(p, i, blockSize, rightmost && i == last);
        }
    }

    /**
     * Splits child {@code index} of {@code p} if it is over {@code limit}.
     * The tree's rightmost leaf is split into full parts
     * ({@link DirtyLeaf#splitFilling}): keys inserted in order all land
     * there, and parts closed at breakAt would leave every leaf of an
     * in-order load two-thirds full for good, with a third more pages to
     * store, cache and clean than full ones.
     */
    private void splitChild(DirtyParent p, int index, int limit, boolean rightmost) {
        DirtyNode child = p.children.get(index).dirty;
        if (child.size() <= limit) {
            return;
        }
        List<Key> separators = new ArrayList<>();
        List<? extends DirtyNode> parts;
        if (child instanceof DirtyLeaf) {
            DirtyLeaf leaf = (DirtyLeaf) child;
            parts = rightmost
                    ? leaf.splitFilling(Math.min(limit, LeafRepack.fillTarget(blockSize)), separators)
                    : leaf.split(breakAt, limit, separators);
        } else {
            parts = ((DirtyParent) child).split(breakAt, limit, separators);
        }
        p.children.set(index, new Slot(parts.get(0)));
        for (int k = 1; k < parts.size(); k++) {
            p.children.add(index + k, new Slot(parts.get(k)));
        }
        p.separators.addAll(index, separators);
        nnodes += parts.size() - 1;
    }

    /** Merge passes until nothing merges (fetching clean members first where needed), then deroot, then sync. */
    private void rebalance() {
        // Compact what the cleaner rewrites before merging, so that the merge
        // pass restores condition (3) around the repacked runs; a no-op when
        // this runs again after a fetch.
        nnodes -= LeafRepack.repackTree(root, blockSize);
        Map<Long, PageExpectation> needs = new LinkedHashMap<>();
        boolean merged = true;
        while (merged && root instanceof DirtyParent) {
            merged = mergePass((DirtyParent) root, null, null, needs);
            if (!needs.isEmpty()) {
                fetchThen(needs, this::rebalance);
                return;
            }
        }
        while (root instanceof DirtyParent && ((DirtyParent) root).children.size() == 1) {
            DirtyParent p = (DirtyParent) root;
            Slot only = p.children.get(0);
            if (!only.isDirty()) {
                Page page = loaded(only.block);
                if (page == null) {
                    needs.put(only.block, expectation(p, 0, null, null));
                    fetchThen(needs, this::rebalance);
                    return;
                }
                only.dirty = copy(page);
            }
            root = only.dirty;
            nnodes--;
        }
        sync();
    }

    /**
     * One merge pass over {@code p}'s subtree, children first. Children are
     * grouped right to left into runs whose merged size stays within
     * breakAt; a run containing a dirty node is merged into one new node
     * (runs of clean nodes already satisfy the balancing condition).
     * Clean members not in memory are added to {@code needs} and their run
     * is left for the next pass.
     */
    private boolean mergePass(DirtyParent p, Key low, Key high, Map<Long, PageExpectation> needs) {
        boolean merged = false;
        for (int i = 0; i < p.children.size(); i++) {
            DirtyNode child = p.children.get(i).dirty;
            if (child instanceof DirtyParent) {
                merged |= mergePass((DirtyParent) child, lowOf(p, i, low), highOf(p, i, high), needs);
            }
        }
        int n = p.children.size();
        int runEnd = n - 1;
        int runSize = p.children.get(n - 1).currentSize();
        boolean runDirty = p.children.get(n - 1).isDirty();
        for (int i = n - 2; i >= 0; i--) {
            Slot s = p.children.get(i);
            int add = s.currentSize() - PageFormat.HEADER + (p.height > 1 ? 1 + p.separators.get(i).length() : 0);
            if ((runDirty || s.isDirty()) && runSize + add <= breakAt) {
                runSize += add;
                runDirty |= s.isDirty();
            } else {
                merged |= mergeRun(p, i + 1, runEnd, runDirty, low, high, needs);
                runEnd = i;
                runSize = s.currentSize();
                runDirty = s.isDirty();
            }
        }
        merged |= mergeRun(p, 0, runEnd, runDirty, low, high, needs);
        return merged;
    }

    /** Merges children {@code from..to} of {@code p} into one dirty node, if worth it and all are in memory. */
    private boolean mergeRun(DirtyParent p, int from, int to, boolean dirty, Key low, Key high, Map<Long, PageExpectation> needs) {
        if (to <= from || !dirty) {
            return false;
        }
        boolean missing = false;
        for (int j = from; j <= to; j++) {
            Slot s = p.children.get(j);
            if (!s.isDirty() && loaded(s.block) == null) {
                needs.put(s.block, expectation(p, j, low, high));
                missing = true;
            }
        }
        if (missing) {
            return false;
        }
        DirtyNode merged = nodeOf(p.children.get(from));
        for (int j = from + 1; j <= to; j++) {
            DirtyNode next = nodeOf(p.children.get(j));
            if (merged instanceof DirtyLeaf) {
                ((DirtyLeaf) merged).append((DirtyLeaf) next);
            } else {
                ((DirtyParent) merged).append(p.separators.get(j - 1), (DirtyParent) next);
            }
        }
        p.children.set(from, new Slot(merged));
        p.children.subList(from + 1, to + 1).clear();
        p.separators.subList(from, to).clear();
        nnodes -= to - from;
        return true;
    }

    private DirtyNode nodeOf(Slot s) {
        return s.isDirty() ? s.dirty : copy(loaded(s.block));
    }

    /** A clean page in memory: pinned by this batch, or cached (then pinned from now on). */
    private Page loaded(long block) {
        Page page = pins.get(block);
        if (page == null) {
            page = tree.cache().get(block);
            if (page != null) {
                pins.put(block, page);
            }
        }
        return page;
    }

    private PageExpectation expectation(DirtyParent p, int index, Key low, Key high) {
        Slot s = p.children.get(index);
        return new PageExpectation(tree.nextBlock(), p.height - 1, lowOf(p, index, low), highOf(p, index, high), s.oldestLeaf, s.size);
    }

    private static Key lowOf(DirtyParent p, int index, Key low) {
        return index == 0 ? low : p.separators.get(index - 1);
    }

    private static Key highOf(DirtyParent p, int index, Key high) {
        return index == p.separators.size() ? high : p.separators.get(index);
    }

    private void fetchThen(Map<Long, PageExpectation> needs, Runnable next) {
        int[] outstanding = {needs.size()};
        List<Map.Entry<Long, PageExpectation>> all = new ArrayList<>(needs.entrySet());
        needs.clear();
        for (Map.Entry<Long, PageExpectation> need : all) {
            long block = need.getKey();
            tree.cache().fetch(block, need.getValue(), page -> {
                pins.put(block, page);
                if (--outstanding[0] == 0) {
                    next.run();
                }
            });
        }
    }

    // ---- sync and commit ----------------------------------------------------

    private void sync() {
        int count = countDirty(root);
        data = new byte[Math.multiplyExact(count, blockSize)];
        firstBlock = tree.nextBlock();
        write(root, null, null, true);
        pages = checkWritten(count);
        if (pages == null) {
            return;
        }
        tree.store().append(firstBlock, count, data).whenComplete((next, failure) -> {
            if (failure != null) {
                tree.fail(new IOException("lbs APPEND failed block=" + Long.toUnsignedString(firstBlock) + " count=" + count
                        + ": " + failure.getMessage(), failure));
            } else {
                committed(count, next);
            }
        });
    }

    /**
     * Our own pages pass the same checks as pages read back later, and before
     * the APPEND: once a bad page is durable as the newest root, every
     * restart stops at it. Returns the committed pages to be, or null when the
     * tree failed.
     */
    private Page[] checkWritten(int count) {
        Page[] checked = new Page[count];
        long end = firstBlock + count;
        for (int i = 0; i < count; i++) {
            byte[] block = Arrays.copyOfRange(data, i * blockSize, (i + 1) * blockSize);
            try {
                checked[i] = tree.validator().parse(firstBlock + i, block, end);
            } catch (CorruptPageException e) {
                tree.fail(new IllegalStateException("kvlds wrote an invalid page (nothing of this batch was sent to lbs): "
                        + e.getMessage(), e));
                return null;
            }
        }
        return checked;
    }

    private static int countDirty(DirtyNode node) {
        int count = 1;
        if (node instanceof DirtyParent) {
            for (Slot s : ((DirtyParent) node).children) {
                if (s.isDirty()) {
                    count += countDirty(s.dirty);
                }
            }
        }
        return count;
    }

    /** Writes {@code node}'s dirty subtree, children first; fills in the descriptor of {@code slot}. */
    private void write(DirtyNode node, Key low, Key high, boolean isRoot) {
        writeInto(node, low, high, isRoot, null);
    }

    private void writeInto(DirtyNode node, Key low, Key high, boolean isRoot, Slot slot) {
        int mlen = low == null || high == null ? 0 : commonPrefix(low, high);
        long rootNnodes = isRoot ? nnodes : 0;
        int size;
        long oldest;
        if (node instanceof DirtyParent) {
            DirtyParent p = (DirtyParent) node;
            int n = p.children.size();
            long[] blocks = new long[n];
            long[] oldestLeaves = new long[n];
            int[] sizes = new int[n];
            oldest = -1L;
            for (int i = 0; i < n; i++) {
                Slot s = p.children.get(i);
                if (s.isDirty()) {
                    writeInto(s.dirty, lowOf(p, i, low), highOf(p, i, high), false, s);
                }
                blocks[i] = s.block;
                oldestLeaves[i] = s.oldestLeaf;
                sizes[i] = s.size;
                if (Long.compareUnsigned(s.oldestLeaf, oldest) < 0) {
                    oldest = s.oldestLeaf;
                }
            }
            size = PageWriter.writeParent(data, written * blockSize, p.height, p.separators, blocks, oldestLeaves, sizes, mlen, rootNnodes);
        } else {
            DirtyLeaf leaf = (DirtyLeaf) node;
            size = PageWriter.writeLeaf(data, written * blockSize, leaf.keys, leaf.values, mlen, rootNnodes);
            oldest = firstBlock + written;
        }
        long block = firstBlock + written;
        written++;
        if (slot != null) {
            slot.block = block;
            slot.oldestLeaf = oldest;
            slot.size = size;
            slot.dirty = null;
        }
    }

    private static int commonPrefix(Key a, Key b) {
        int m = Arrays.mismatch(a.unsafeBytes(), b.unsafeBytes());
        return m < 0 ? a.length() : m;
    }

    private void committed(int count, long next) {
        if (Long.compareUnsigned(next, firstBlock + count) < 0) {
            tree.fail(new IOException("lbs APPEND returned next block " + Long.toUnsignedString(next) + " (expected: >= "
                    + Long.toUnsignedString(firstBlock + count) + ")"));
            return;
        }
        for (int i = 0; i < supersededCount; i++) {
            tree.cache().drop(superseded[i]);
        }
        for (int i = 0; i < count - 1; i++) {
            tree.cache().put(pages[i]);
        }
        Page newRoot = pages[count - 1];
        tree.cache().put(newRoot);
        tree.commit(newRoot, next, count);
        done.accept(new BatchOutcome(statuses, count, repaid));
    }
}
