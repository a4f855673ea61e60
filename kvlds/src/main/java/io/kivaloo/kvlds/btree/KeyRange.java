package io.kivaloo.kvlds.btree;

import io.kivaloo.proto.kvlds.Key;

/**
 * The key range of one node: {@code low <= key < high}, a null bound open.
 * A batch remembers the range of the last leaf it found, because requests
 * come in runs of keys in one leaf (a bulk load sends them sorted) and the
 * tree's shape does not change before rebalancing.
 */
record KeyRange(Key low, Key high) {

    boolean contains(Key key) {
        return (low == null || key.compareTo(low) >= 0) && (high == null || key.compareTo(high) < 0);
    }
}
