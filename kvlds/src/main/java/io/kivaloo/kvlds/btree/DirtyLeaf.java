package io.kivaloo.kvlds.btree;

import io.kivaloo.kvlds.page.LeafPage;
import io.kivaloo.kvlds.page.PageFormat;
import io.kivaloo.kvlds.page.PageWriter;
import io.kivaloo.proto.kvlds.Key;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;

/**
 * A dirty leaf: sorted unique keys and their values, with its size kept up to
 * date. It starts as the clean page it copies plus a short sorted list of
 * edits (a key with its new value, or with none for a deleted pair), and is
 * written by merging the two ({@link PageWriter#writeLeafEdited}); it becomes
 * lists of keys and values only when a split, merge or repack needs them.
 *
 * <p>Why: most leaves a batch dirties receive one or two changes (random
 * updates), and a leaf copied as lists costs a {@code Key} and an array per
 * pair, garbage that lives as long as the batch and so survives young
 * collections (kvlds/DESIGN.md "Memory").
 */
final class DirtyLeaf extends DirtyNode {

    /** The clean page edited, or null once the leaf is lists. */
    private LeafPage base;
    private Key[] editKeys;
    /** Each edit's value; null for a pair of {@link #base} deleted. */
    private Key[] editValues;
    private int edits;
    /** The pairs, once the leaf is lists (null before). */
    private ArrayList<Key> keys;
    private ArrayList<Key> values;
    private int count;
    /** Σ (2 + |key| + |value|) over the pairs. */
    private int pairBytes;
    /** Dirtied for the cleaner: the run of dirty siblings it is in may be repacked ({@link LeafRepack}). */
    boolean cleaned;

    DirtyLeaf(ArrayList<Key> keys, ArrayList<Key> values) {
        super(0);
        this.keys = keys;
        this.values = values;
        this.count = keys.size();
        for (int i = 0; i < keys.size(); i++) {
            pairBytes += PageFormat.pairSize(keys.get(i).length(), values.get(i).length());
        }
    }

    private DirtyLeaf(LeafPage base) {
        super(0);
        this.base = base;
        this.editKeys = new Key[4];
        this.editValues = new Key[4];
        this.count = base.keyCount();
        this.pairBytes = base.size() - PageFormat.HEADER - (base.isRoot() ? PageFormat.ROOT_EXTRA : 0);
    }

    static DirtyLeaf copyOf(LeafPage page) {
        return new DirtyLeaf(page);
    }

    @Override
    int size() {
        return PageFormat.HEADER + pairBytes;
    }

    /** Bytes of the pairs alone, without the page header. */
    int pairBytes() {
        return pairBytes;
    }

    /** The value of {@code key}, or null. */
    Key get(Key key) {
        if (base == null) {
            int i = find(key);
            return i >= 0 ? values.get(i) : null;
        }
        int e = findEdit(key);
        if (e >= 0) {
            return editValues[e];
        }
        int i = base.find(key);
        return i >= 0 ? base.value(i) : null;
    }

    /** Sets {@code key} to {@code value}, inserting the pair if absent. */
    void put(Key key, Key value) {
        if (base == null) {
            int i = find(key);
            if (i >= 0) {
                pairBytes += value.length() - values.get(i).length();
                values.set(i, value);
            } else {
                keys.add(-i - 1, key);
                values.add(-i - 1, value);
                pairBytes += PageFormat.pairSize(key.length(), value.length());
                count++;
            }
            return;
        }
        int e = findEdit(key);
        if (e >= 0) {
            Key old = editValues[e];
            if (old != null) {
                pairBytes += value.length() - old.length();
            } else {
                pairBytes += PageFormat.pairSize(key.length(), value.length());
                count++;
            }
            editValues[e] = value;
            return;
        }
        int i = base.find(key);
        if (i >= 0) {
            pairBytes += PageFormat.pairSize(key.length(), value.length()) - base.pairSize(i);
        } else {
            pairBytes += PageFormat.pairSize(key.length(), value.length());
            count++;
        }
        insertEdit(-e - 1, key, value);
    }

    /** Deletes the pair of {@code key}, if there is one. */
    void delete(Key key) {
        if (base == null) {
            int i = find(key);
            if (i >= 0) {
                pairBytes -= PageFormat.pairSize(key.length(), values.get(i).length());
                keys.remove(i);
                values.remove(i);
                count--;
            }
            return;
        }
        int e = findEdit(key);
        if (e >= 0) {
            Key old = editValues[e];
            if (old == null) {
                return;
            }
            pairBytes -= PageFormat.pairSize(key.length(), old.length());
            count--;
            if (base.find(key) >= 0) {
                editValues[e] = null;
            } else {
                // Inserted by this batch: no trace of it remains.
                System.arraycopy(editKeys, e + 1, editKeys, e, edits - e - 1);
                System.arraycopy(editValues, e + 1, editValues, e, edits - e - 1);
                edits--;
            }
            return;
        }
        int i = base.find(key);
        if (i >= 0) {
            pairBytes -= base.pairSize(i);
            count--;
            insertEdit(-e - 1, key, null);
        }
    }

    /** Serializes the leaf into {@code dst} (zero from 0); returns the size written. */
    int write(byte[] dst, int mlen, long rootNnodes) {
        if (base != null) {
            return PageWriter.writeLeafEdited(dst, base, editKeys, editValues, edits, count, mlen, rootNnodes);
        }
        return PageWriter.writeLeaf(dst, 0, keys, values, mlen, rootNnodes);
    }

    /**
     * Splits into parts (kvlds.md §5.3): a part is closed before a pair once it
     * is over {@code breakAt}, so a part exceeds it by at most one pair.
     * {@code separators} receives the first key of every part after the first.
     */
    List<DirtyLeaf> split(int breakAt, int limit, List<Key> separators) {
        toLists();
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
        toLists();
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

    /** Appends the pairs of {@code right}, whose keys are all greater; {@code right} itself is unchanged. */
    void append(DirtyLeaf right) {
        toLists();
        right.toLists();
        keys.addAll(right.keys);
        values.addAll(right.values);
        pairBytes += right.pairBytes;
        count += right.count;
    }

    private DirtyLeaf part(int from, int to) {
        return new DirtyLeaf(new ArrayList<>(keys.subList(from, to)), new ArrayList<>(values.subList(from, to)));
    }

    /** Index of {@code key} in the lists, or -(insertion point) - 1. */
    private int find(Key key) {
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

    /** Index of {@code key} among the edits, or -(insertion point) - 1. */
    private int findEdit(Key key) {
        // In-order updates (bulk_update) edit the keys of a leaf in order: check the last edit first.
        if (edits > 0) {
            int c = editKeys[edits - 1].compareTo(key);
            if (c < 0) {
                return -edits - 1;
            }
            if (c == 0) {
                return edits - 1;
            }
        }
        return Arrays.binarySearch(editKeys, 0, edits, key);
    }

    private void insertEdit(int at, Key key, Key value) {
        if (edits == editKeys.length) {
            editKeys = Arrays.copyOf(editKeys, edits * 2);
            editValues = Arrays.copyOf(editValues, edits * 2);
        }
        System.arraycopy(editKeys, at, editKeys, at + 1, edits - at);
        System.arraycopy(editValues, at, editValues, at + 1, edits - at);
        editKeys[at] = key;
        editValues[at] = value;
        edits++;
    }

    /** Turns the page and its edits into lists of keys and values. */
    private void toLists() {
        if (base == null) {
            return;
        }
        keys = new ArrayList<>(count + 4);
        values = new ArrayList<>(count + 4);
        int n = base.keyCount();
        int i = 0;
        for (int e = 0; e < edits; e++) {
            for (; i < n && base.compareKey(i, editKeys[e]) < 0; i++) {
                keys.add(base.key(i));
                values.add(base.value(i));
            }
            if (i < n && base.compareKey(i, editKeys[e]) == 0) {
                i++;
            }
            if (editValues[e] != null) {
                keys.add(editKeys[e]);
                values.add(editValues[e]);
            }
        }
        for (; i < n; i++) {
            keys.add(base.key(i));
            values.add(base.value(i));
        }
        base = null;
        editKeys = null;
        editValues = null;
        edits = 0;
    }
}
