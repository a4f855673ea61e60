package io.kivaloo.kvlds.btree;

/**
 * A child position in a dirty parent: either a clean child described as in
 * its parent's page (block, oldest leaf, size), or a dirty node, which
 * supersedes the description until the batch syncs and fills it in again.
 */
final class Slot {

    long block;
    long oldestLeaf;
    int size;
    DirtyNode dirty;

    Slot(long block, long oldestLeaf, int size) {
        this.block = block;
        this.oldestLeaf = oldestLeaf;
        this.size = size;
    }

    Slot(DirtyNode dirty) {
        this.dirty = dirty;
    }

    boolean isDirty() {
        return dirty != null;
    }

    int currentSize() {
        return dirty != null ? dirty.size() : size;
    }
}
