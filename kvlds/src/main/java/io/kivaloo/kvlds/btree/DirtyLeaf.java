package io.kivaloo.kvlds.btree;

import io.kivaloo.kvlds.page.LeafPage;
import io.kivaloo.kvlds.page.PageFormat;
import io.kivaloo.proto.kvlds.Key;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/** A dirty leaf: sorted unique keys and their values, with its size kept up to date. */
final class DirtyLeaf extends DirtyNode {

    final ArrayList<Key> keys;
    final ArrayList<Key> values;
    /** Σ (2 + |key| + |value|) over the pairs. */
    private int pairBytes;
    /** Dirtied for the cleaner: the run of dirty siblings it is in may be repacked ({@link LeafRepack}). */
    boolean cleaned;

    DirtyLeaf(ArrayList<Key> keys, ArrayList<Key> values) {
        super(0);
        this.keys = keys;
        this.values = values;
        for (int i = 0; i < keys.size(); i++) {
            pairBytes += PageFormat.pairSize(keys.get(i).length(), values.get(i).length());
        }
    }

    static DirtyLeaf copyOf(LeafPage page) {
        int n = page.keyCount();
        ArrayList<Key> keys = new ArrayList<>(n + 4);
        ArrayList<Key> values = new ArrayList<>(n + 4);
        for (int i = 0; i < n; i++) {
            keys.add(page.key(i));
            values.add(page.value(i));
        }
        return new DirtyLeaf(keys, values);
    }

    @Override
    int size() {
        return PageFormat.HEADER + pairBytes;
    }

    /** Index of {@code key}, or -(insertion point) - 1. */
    int find(Key key) {
        // Bulk loads append in key order: check the end first.
        int n = keys.size();
        if (n > 0) {
            int c = keys.get(n - 1).compareTo(key);
            if (c < 0) {
                return -n - 1;
            }
            if (c == 0) {
                return n - 1;
            }
        }
        return Collections.binarySearch(keys, key);
    }

    void insert(int insertionPoint, Key key, Key value) {
        keys.add(insertionPoint, key);
        values.add(insertionPoint, value);
        pairBytes += PageFormat.pairSize(key.length(), value.length());
    }

    void replace(int index, Key value) {
        pairBytes += value.length() - values.get(index).length();
        values.set(index, value);
    }

    void remove(int index) {
        pairBytes -= PageFormat.pairSize(keys.get(index).length(), values.get(index).length());
        keys.remove(index);
        values.remove(index);
    }

    /**
     * Splits into parts (kvlds.md §5.3): a part is closed before a pair once it
     * is over {@code breakAt}, so a part exceeds it by at most one pair.
     * {@code separators} receives the first key of every part after the first.
     */
    List<DirtyLeaf> split(int breakAt, int limit, List<Key> separators) {
        List<DirtyLeaf> parts = new ArrayList<>();
        int cur = PageFormat.HEADER;
        int start = 0;
        for (int i = 0; i < keys.size(); i++) {
            if (cur > breakAt) {
                parts.add(part(start, i));
                separators.add(keys.get(i));
                start = i;
                cur = PageFormat.HEADER;
            }
            cur += PageFormat.pairSize(keys.get(i).length(), values.get(i).length());
        }
        if (parts.isEmpty() && cur > limit && keys.size() > 1) {
            // Only the root's extra header can leave one part over the limit: cut before the last pair.
            int last = keys.size() - 1;
            parts.add(part(0, last));
            separators.add(keys.get(last));
            start = last;
        }
        parts.add(part(start, keys.size()));
        return parts;
    }

    /**
     * Splits into full parts: a part is closed before a pair that would take
     * it over {@code target}, so every part but the last is within it and
     * any two neighbours together exceed it (balancing condition (3) holds
     * between them, since target > breakAt). For the tree's rightmost leaf,
     * where in-order inserts land.
     */
    List<DirtyLeaf> splitFilling(int target, List<Key> separators) {
        List<DirtyLeaf> parts = new ArrayList<>();
        int cur = PageFormat.HEADER;
        int start = 0;
        for (int i = 0; i < keys.size(); i++) {
            int pair = PageFormat.pairSize(keys.get(i).length(), values.get(i).length());
            if (i > start && cur + pair > target) {
                parts.add(part(start, i));
                separators.add(keys.get(i));
                start = i;
                cur = PageFormat.HEADER;
            }
            cur += pair;
        }
        parts.add(part(start, keys.size()));
        return parts;
    }

    private DirtyLeaf part(int from, int to) {
        return new DirtyLeaf(new ArrayList<>(keys.subList(from, to)), new ArrayList<>(values.subList(from, to)));
    }

    /** Bytes of the pairs alone, without the page header. */
    int pairBytes() {
        return pairBytes;
    }

    /** Appends the pairs of {@code right}, whose keys are all greater. */
    void append(DirtyLeaf right) {
        keys.addAll(right.keys);
        values.addAll(right.values);
        pairBytes += right.pairBytes;
    }
}
