package io.kivaloo.kvlds.btree;

import io.kivaloo.kvlds.page.Page;

/**
 * One committed state of the tree: its root page, which is immutable, as is
 * everything reachable from it. Reads run on the version they started with,
 * however many batches commit meanwhile; the version counts its readers so
 * that FREE never releases a page a running read may still fetch.
 */
public final class TreeVersion {

    private final Page root;
    private int readers;

    TreeVersion(Page root) {
        this.root = root;
    }

    public Page root() {
        return root;
    }

    /** Nodes in the tree, from the root page. */
    public long nnodes() {
        return root.nnodes();
    }

    /** Smallest block number of any live page: every live page is at or above it. */
    public long oldestLeaf() {
        return root.oldestLeaf();
    }

    public int height() {
        return root.height();
    }

    void enter() {
        readers++;
    }

    void leave() {
        readers--;
    }

    boolean hasReaders() {
        return readers > 0;
    }
}
