package io.kivaloo.kvlds.btree;

import io.kivaloo.kvlds.page.Page;
import io.kivaloo.kvlds.page.PageExpectation;
import io.kivaloo.proto.kvlds.Key;
import java.util.Arrays;

/**
 * The tree one batch works on (copy-on-write, kvlds.md §5.2): the version it
 * started from, the clean pages it pinned, and its dirty nodes, reachable only
 * from {@link #root}. Every phase of the batch (load, apply, rebalance, sync)
 * reads and changes it; nothing outside the batch sees it.
 *
 * <p>Copying a clean page is the one way a node becomes dirty
 * ({@link #copy}), and it keeps two accounts: the cleaning debt the rewrite
 * repays, {@code (head - block) / npages} (§10.3: rewriting an old page counts
 * for almost one cleaning, a young one for little), and the block, which the
 * new tree no longer uses once it commits.
 */
final class DirtyTree {

    /** The committed (or, pipelined, about to be committed) version the batch applies to. */
    final TreeVersion base;
    /** Where the batch's first page goes: the log's next block after {@link #base}. */
    final long head;
    /** Clean pages the batch uses, held so that eviction cannot take them away mid-batch. */
    final PinnedPages pins = new PinnedPages();
    /** The dirty root: null until the first change. */
    DirtyNode root;
    /** Nodes in the batch's tree, kept up to date by every split, merge and deroot; written in the root page. */
    long nnodes;
    /** Log span when the batch started, at least 1: the denominator of each repayment. */
    private final double npages;
    private double repaid;
    /** Blocks of the clean pages this batch copied. */
    private long[] superseded = new long[64];
    private int supersededCount;

    DirtyTree(TreeVersion base, long head) {
        this.base = base;
        this.head = head;
        this.nnodes = base.nnodes();
        this.npages = Math.max(1, head - base.oldestLeaf());
    }

    /** Cleaning debt repaid by the clean pages copied so far. */
    double repaid() {
        return repaid;
    }

    /** Blocks of the clean pages copied: garbage once the batch commits. */
    long[] superseded() {
        return Arrays.copyOf(superseded, supersededCount);
    }

    /** Copies the clean nodes on the path to {@code key} (root first) and returns the dirty leaf. */
    DirtyLeaf dirtyPath(Key key) {
        if (root == null) {
            root = copy(base.root());
        }
        DirtyNode node = root;
        while (node instanceof DirtyParent p) {
            Slot slot = p.children.get(p.childIndex(key));
            if (!slot.isDirty()) {
                slot.dirty = copy(pinned(slot.block));
            }
            node = slot.dirty;
        }
        return (DirtyLeaf) node;
    }

    /** The first dirtying of a clean page in this batch: copy it, and count what that repays and supersedes. */
    DirtyNode copy(Page page) {
        repaid += (head - page.block()) / npages;
        if (supersededCount == superseded.length) {
            superseded = Arrays.copyOf(superseded, supersededCount * 2);
        }
        superseded[supersededCount++] = page.block();
        return DirtyNode.copyOf(page);
    }

    /** A page the load phase pinned; its absence is a bug, never a cache effect. */
    Page pinned(long block) {
        Page page = pins.get(block);
        if (page == null) {
            throw new IllegalStateException("page not loaded block=" + Long.toUnsignedString(block));
        }
        return page;
    }

    /** What a fetch of child {@code index} of the dirty parent {@code p} must find; {@code p} will be written at the head. */
    PageExpectation expectation(DirtyParent p, int index, Key low, Key high) {
        Slot s = p.children.get(index);
        return new PageExpectation(head, p.height - 1, lowOf(p, index, low), highOf(p, index, high), s.oldestLeaf, s.size);
    }

    /** Smallest key child {@code index} of {@code p} may hold, {@code p}'s own being {@code low}. */
    static Key lowOf(DirtyParent p, int index, Key low) {
        return index == 0 ? low : p.separators.get(index - 1);
    }

    /** The bound every key of child {@code index} of {@code p} is below, {@code p}'s own being {@code high}. */
    static Key highOf(DirtyParent p, int index, Key high) {
        return index == p.separators.size() ? high : p.separators.get(index);
    }
}
