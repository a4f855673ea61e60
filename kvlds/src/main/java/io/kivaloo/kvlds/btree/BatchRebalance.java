package io.kivaloo.kvlds.btree;

import io.kivaloo.kvlds.cache.PageCache;
import io.kivaloo.kvlds.page.Page;
import io.kivaloo.kvlds.page.PageExpectation;
import io.kivaloo.kvlds.page.PageFormat;
import io.kivaloo.proto.kvlds.Key;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A batch's rebalance phase (kvlds.md §5.3; the C kvlds's btree_balance):
 * restores the balancing conditions on the dirty part of the tree (clean
 * subtrees already satisfy them). Split every node over a page, repack the
 * cleaner's runs, merge runs of small neighbours until a pass merges nothing
 * (fetching clean members first where needed), then deroot.
 */
final class BatchRebalance {

    private final DirtyTree dirty;
    private final PageCache cache;
    private final int blockSize;
    private final int breakAt;
    private final Runnable done;

    private BatchRebalance(DirtyTree dirty, PageCache cache, int blockSize, Runnable done) {
        this.dirty = dirty;
        this.cache = cache;
        this.blockSize = blockSize;
        this.breakAt = PageFormat.breakAt(blockSize);
        this.done = done;
    }

    /** Rebalances {@code dirty}, whose root is dirty; runs {@code done} when it is (after page-ins, if any were needed). */
    static void rebalance(DirtyTree dirty, PageCache cache, int blockSize, Runnable done) {
        BatchRebalance r = new BatchRebalance(dirty, cache, blockSize, done);
        r.splitAll();
        r.mergeAndDeroot();
    }

    /** Post-order: every dirty node over a page is split; then the root, under new roots, while it is over. */
    private void splitAll() {
        if (dirty.root instanceof DirtyParent p) {
            splitChildren(p, true);
        }
        while (dirty.root.size() + PageFormat.ROOT_EXTRA > blockSize) {
            ArrayList<Slot> only = new ArrayList<>();
            only.add(new Slot(dirty.root));
            DirtyParent newRoot = new DirtyParent(dirty.root.height + 1, new ArrayList<>(), only);
            dirty.nnodes++;
            splitChild(newRoot, 0, blockSize - PageFormat.ROOT_EXTRA, true);
            if (newRoot.children.size() < 2) {
                throw new IllegalStateException("root of size " + dirty.root.size() + " cannot be split");
            }
            dirty.root = newRoot;
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
            if (child instanceof DirtyParent c) {
                splitChildren(c, rightmost && i == last);
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
        if (child instanceof DirtyLeaf leaf) {
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
        dirty.nnodes += parts.size() - 1;
    }

    /** Merge passes until nothing merges (fetching clean members first where needed), then deroot, then done. */
    private void mergeAndDeroot() {
        // Compact what the cleaner rewrites before merging, so that the merge
        // pass restores condition (3) around the repacked runs; a no-op when
        // this runs again after a fetch.
        dirty.nnodes -= LeafRepack.repackTree(dirty.root, blockSize);
        Map<Long, PageExpectation> needs = new LinkedHashMap<>();
        boolean merged = true;
        while (merged && dirty.root instanceof DirtyParent root) {
            merged = mergePass(root, null, null, needs);
            if (!needs.isEmpty()) {
                fetchThen(needs);
                return;
            }
        }
        while (dirty.root instanceof DirtyParent p && p.children.size() == 1) {
            Slot only = p.children.get(0);
            if (!only.isDirty()) {
                Page page = loaded(only.block);
                if (page == null) {
                    needs.put(only.block, dirty.expectation(p, 0, null, null));
                    fetchThen(needs);
                    return;
                }
                only.dirty = dirty.copy(page);
            }
            dirty.root = only.dirty;
            dirty.nnodes--;
        }
        done.run();
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
            if (p.children.get(i).dirty instanceof DirtyParent child) {
                merged |= mergePass(child, DirtyTree.lowOf(p, i, low), DirtyTree.highOf(p, i, high), needs);
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
    private boolean mergeRun(DirtyParent p, int from, int to, boolean runDirty, Key low, Key high, Map<Long, PageExpectation> needs) {
        if (to <= from || !runDirty) {
            return false;
        }
        boolean missing = false;
        for (int j = from; j <= to; j++) {
            Slot s = p.children.get(j);
            if (!s.isDirty() && loaded(s.block) == null) {
                needs.put(s.block, dirty.expectation(p, j, low, high));
                missing = true;
            }
        }
        if (missing) {
            return false;
        }
        DirtyNode merged = nodeOf(p.children.get(from));
        for (int j = from + 1; j <= to; j++) {
            DirtyNode next = nodeOf(p.children.get(j));
            if (merged instanceof DirtyLeaf leaf) {
                leaf.append((DirtyLeaf) next);
            } else {
                ((DirtyParent) merged).append(p.separators.get(j - 1), (DirtyParent) next);
            }
        }
        p.children.set(from, new Slot(merged));
        p.children.subList(from + 1, to + 1).clear();
        p.separators.subList(from, to).clear();
        dirty.nnodes -= to - from;
        return true;
    }

    private DirtyNode nodeOf(Slot s) {
        return s.isDirty() ? s.dirty : dirty.copy(loaded(s.block));
    }

    /** A clean page in memory: pinned by this batch, or cached (then pinned from now on). */
    private Page loaded(long block) {
        Page page = dirty.pins.get(block);
        if (page == null) {
            page = cache.get(block);
            if (page != null) {
                dirty.pins.put(page);
            }
        }
        return page;
    }

    /** Fetches the pages in {@code needs} (in parallel), pins them, and runs the merge passes again. */
    private void fetchThen(Map<Long, PageExpectation> needs) {
        int[] outstanding = {needs.size()};
        List<Map.Entry<Long, PageExpectation>> all = new ArrayList<>(needs.entrySet());
        needs.clear();
        for (Map.Entry<Long, PageExpectation> need : all) {
            long block = need.getKey();
            cache.fetch(block, need.getValue(), page -> {
                dirty.pins.put(page);
                if (--outstanding[0] == 0) {
                    mergeAndDeroot();
                }
            });
        }
    }
}
