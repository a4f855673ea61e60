package io.kivaloo.kvlds.btree;

import io.kivaloo.kvlds.cache.PageCache;
import io.kivaloo.kvlds.page.CorruptPageException;
import io.kivaloo.kvlds.page.Page;
import io.kivaloo.kvlds.page.PageExpectation;
import io.kivaloo.kvlds.page.ParentPage;
import io.kivaloo.proto.kvlds.Key;
import java.util.ArrayList;
import java.util.List;
import java.util.PriorityQueue;
import java.util.function.Consumer;

/**
 * The cleaner's search (kvlds.md §10.4), oldest first: the parents of leaves
 * are visited in the order of the oldest leaf under them (every child
 * descriptor records it), and each visited parent contributes every child
 * leaf whose block is below the threshold, until enough leaves are picked.
 * The oldest live page is always a leaf, because a parent is written after
 * its children; so the first pick is the page that holds FREE back, and its
 * old neighbours come with it, sharing the APPEND and, when they have become
 * small, a merge.
 *
 * <p>Only parents are read (through the cache, fetching when missing); the
 * picked leaves are named by a key inside their range, which the batch
 * follows to dirty them: a leaf's lower bound (the separator to its left, or
 * its parent's lower bound for a first child), and the empty key, the
 * smallest of all, at the left edge.
 */
final class OldLeafSearch {

    private final PageCache cache;
    private final Consumer<Throwable> fatal;
    private final long threshold;
    private final int wanted;
    private final Consumer<List<Key>> done;
    /** Subtrees still to visit, the one holding the oldest leaf first. */
    private final PriorityQueue<Subtree> queue = new PriorityQueue<>((a, b) -> Long.compareUnsigned(a.oldestLeaf, b.oldestLeaf));
    private final List<Key> picked = new ArrayList<>();

    private OldLeafSearch(PageCache cache, Consumer<Throwable> fatal, long threshold, int wanted, Consumer<List<Key>> done) {
        this.cache = cache;
        this.fatal = fatal;
        this.threshold = threshold;
        this.wanted = wanted;
        this.done = done;
    }

    /**
     * Picks at least one group and about {@code wanted} leaves below
     * {@code threshold}, oldest first; {@code done} gets a key inside each
     * (none when no leaf is old enough).
     */
    static void find(PageCache cache, Consumer<Throwable> fatal, Page root, long threshold, int wanted, Consumer<List<Key>> done) {
        OldLeafSearch search = new OldLeafSearch(cache, fatal, threshold, wanted, done);
        if (root.isLeaf()) {
            // The whole tree is one page.
            done.accept(Long.compareUnsigned(root.block(), threshold) < 0 ? List.of(Key.EMPTY) : List.of());
            return;
        }
        search.visit((ParentPage) root, null, null);
        search.next();
    }

    /** Visits subtrees in age order until enough leaves are picked or nothing old is left. */
    private void next() {
        while (picked.size() < wanted && !queue.isEmpty()) {
            Subtree s = queue.poll();
            long block = s.parent.childBlock(s.index);
            PageExpectation expected = s.parent.expectation(s.index, s.low, s.high);
            Page child = cache.get(block);
            if (child == null) {
                cache.fetch(block, expected, fetched -> {
                    if (arrived(s, block, fetched)) {
                        next();
                    }
                });
                return;
            }
            if (!arrived(s, block, child)) {
                return;
            }
        }
        done.accept(picked);
    }

    private boolean arrived(Subtree s, long block, Page child) {
        // Validated when read, but possibly through another parent: a corrupt
        // tree could name the same block at two heights.
        if (child.height() != s.parent.height() - 1 || child.isRoot() || child.isLeaf()) {
            fatal.accept(new CorruptPageException(block, "height", "=" + (s.parent.height() - 1) + " and not root",
                    child.height() + (child.isRoot() ? " root" : "")));
            return false;
        }
        PageExpectation expected = s.parent.expectation(s.index, s.low, s.high);
        visit((ParentPage) child, expected.low(), expected.high());
        return true;
    }

    /** A parent of leaves gives up its old leaves; a higher parent queues its children that hold old leaves. */
    private void visit(ParentPage parent, Key low, Key high) {
        for (int i = 0; i < parent.childCount(); i++) {
            if (Long.compareUnsigned(parent.childOldestLeaf(i), threshold) >= 0) {
                continue;
            }
            if (parent.height() == 1) {
                Key lowerBound = i == 0 ? low : parent.key(i - 1);
                picked.add(lowerBound == null ? Key.EMPTY : lowerBound);
            } else {
                queue.add(new Subtree(parent, i, low, high, parent.childOldestLeaf(i)));
            }
        }
    }

    /** Child {@code index} of {@code parent}, whose own bounds are {@code low}, {@code high}. */
    private record Subtree(ParentPage parent, int index, Key low, Key high, long oldestLeaf) {
    }
}
