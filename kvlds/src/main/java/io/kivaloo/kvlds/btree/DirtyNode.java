package io.kivaloo.kvlds.btree;

import io.kivaloo.kvlds.page.LeafPage;
import io.kivaloo.kvlds.page.Page;
import io.kivaloo.kvlds.page.ParentPage;

/**
 * A node changed by the running batch: a mutable copy of a clean page (or a
 * new node from a split or merge). Dirty nodes are reachable only from the
 * batch's dirty root, never from the committed version that reads use
 * (copy-on-write, kvlds.md §5.2). They become pages when the batch syncs.
 */
abstract sealed class DirtyNode permits DirtyLeaf, DirtyParent {

    final int height;

    DirtyNode(int height) {
        this.height = height;
    }

    /** Serialized size without padding and without the root's extra header. */
    abstract int size();

    /** The first dirtying of a clean node: copy it. */
    static DirtyNode copyOf(Page page) {
        return page.isLeaf() ? DirtyLeaf.copyOf((LeafPage) page) : DirtyParent.copyOf((ParentPage) page);
    }
}
