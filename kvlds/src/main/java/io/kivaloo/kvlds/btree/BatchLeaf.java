package io.kivaloo.kvlds.btree;

import io.kivaloo.kvlds.page.LeafPage;

/**
 * The leaf the apply phase found for a key: still the clean page the load
 * phase pinned, or the batch's dirty copy of it once a request changed it.
 */
sealed interface BatchLeaf {

    /** Not changed by this batch yet: a request that would not change it is answered from the page. */
    record Clean(LeafPage page) implements BatchLeaf {
    }

    /** Already copied: requests apply to the copy. */
    record Dirty(DirtyLeaf leaf) implements BatchLeaf {
    }
}
