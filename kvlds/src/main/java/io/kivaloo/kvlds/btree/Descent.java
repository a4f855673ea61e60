package io.kivaloo.kvlds.btree;

import io.kivaloo.kvlds.cache.PageCache;
import io.kivaloo.kvlds.page.CorruptPageException;
import io.kivaloo.kvlds.page.LeafPage;
import io.kivaloo.kvlds.page.Page;
import io.kivaloo.kvlds.page.PageExpectation;
import io.kivaloo.kvlds.page.ParentPage;
import io.kivaloo.proto.kvlds.Key;
import java.util.function.Consumer;

/**
 * Finds the leaf whose key range holds a key, from a given root down through
 * clean pages, fetching missing ones (asynchronously) on the way. It tracks
 * the leaf's range bounds, which RANGE needs to step to the next leaf and the
 * cache needs to validate a fetched page. If it waits for a page-in, it
 * resumes from the parent it holds, on the same version.
 */
final class Descent {

    /** Receives the leaf. */
    interface Done {
        void found(LeafPage leaf, Descent descent);
    }

    private final PageCache cache;
    private final Consumer<Throwable> fatal;
    private final Key key;
    /** Pages visited are recorded here when non-null (a batch pins its paths). */
    private final PinnedPages pins;
    private final Done done;
    private Page lowPage;
    private int lowIndex;
    private Page highPage;
    private int highIndex;

    private Descent(PageCache cache, Consumer<Throwable> fatal, Key key, PinnedPages pins, Done done) {
        this.cache = cache;
        this.fatal = fatal;
        this.key = key;
        this.pins = pins;
        this.done = done;
    }

    static void find(PageCache cache, Consumer<Throwable> fatal, Page root, Key key, PinnedPages pins, Done done) {
        new Descent(cache, fatal, key, pins, done).from(root);
    }

    /** Smallest key the leaf's range holds; null for the left edge. */
    Key low() {
        return lowPage == null ? null : lowPage.key(lowIndex);
    }

    /** The leaf's keys are all below this; null for the right edge of the keyspace. */
    Key high() {
        return highPage == null ? null : highPage.key(highIndex);
    }

    private void from(Page node) {
        while (!node.isLeaf()) {
            ParentPage parent = (ParentPage) node;
            int i = parent.childIndex(key);
            if (i > 0) {
                lowPage = parent;
                lowIndex = i - 1;
            }
            if (i < parent.keyCount()) {
                highPage = parent;
                highIndex = i;
            }
            long block = parent.childBlock(i);
            Page child = pins != null ? pins.get(block) : null;
            if (child == null) {
                child = cache.get(block);
            }
            if (child == null) {
                PageExpectation expected = new PageExpectation(parent.block(), parent.height() - 1, low(), high(),
                        parent.childOldestLeaf(i), parent.childSize(i));
                cache.fetch(block, expected, fetched -> {
                    if (pins != null) {
                        pins.put(fetched);
                    }
                    from(fetched);
                });
                return;
            }
            // Validated when read, but possibly through another parent: a corrupt
            // tree could name the same block at two heights.
            if (child.height() != parent.height() - 1 || child.isRoot()) {
                fatal.accept(new CorruptPageException(block, "height", "=" + (parent.height() - 1) + " and not root",
                        child.height() + (child.isRoot() ? " root" : "")));
                return;
            }
            if (pins != null) {
                pins.put(child);
            }
            node = child;
        }
        done.found((LeafPage) node, this);
    }
}
