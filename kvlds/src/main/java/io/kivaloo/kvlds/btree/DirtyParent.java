package io.kivaloo.kvlds.btree;

import io.kivaloo.kvlds.page.PageFormat;
import io.kivaloo.kvlds.page.ParentPage;
import io.kivaloo.proto.kvlds.Key;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/** A dirty parent: separators and one {@link Slot} per child. */
final class DirtyParent extends DirtyNode {

    final ArrayList<Key> separators;
    final ArrayList<Slot> children;

    DirtyParent(int height, ArrayList<Key> separators, ArrayList<Slot> children) {
        super(height);
        this.separators = separators;
        this.children = children;
    }

    static DirtyParent copyOf(ParentPage page) {
        int n = page.keyCount();
        ArrayList<Key> separators = new ArrayList<>(n + 4);
        ArrayList<Slot> children = new ArrayList<>(n + 5);
        for (int i = 0; i < n; i++) {
            separators.add(page.key(i));
        }
        for (int i = 0; i <= n; i++) {
            children.add(new Slot(page.childBlock(i), page.childOldestLeaf(i), page.childSize(i)));
        }
        return new DirtyParent(page.height(), separators, children);
    }

    @Override
    int size() {
        int size = PageFormat.HEADER + PageFormat.CHILD * children.size();
        for (Key s : separators) {
            size += 1 + s.length();
        }
        return size;
    }

    /** The child whose range holds {@code key}; a key equal to a separator goes right. */
    int childIndex(Key key) {
        int i = Collections.binarySearch(separators, key);
        return i >= 0 ? i + 1 : -i - 1;
    }

    /**
     * Splits into parts (kvlds.md §5.3). The separator between two parts
     * moves up into {@code separators} and is kept in neither part.
     */
    List<DirtyParent> split(int breakAt, int limit, List<Key> promoted) {
        List<DirtyParent> parts = new ArrayList<>();
        int cur = PageFormat.HEADER + PageFormat.CHILD;
        int start = 0;
        for (int i = 1; i < children.size(); i++) {
            if (cur > breakAt) {
                parts.add(part(start, i));
                promoted.add(separators.get(i - 1));
                start = i;
                cur = PageFormat.HEADER + PageFormat.CHILD;
            } else {
                cur += PageFormat.separatorSize(separators.get(i - 1).length());
            }
        }
        if (parts.isEmpty() && cur > limit && children.size() > 1) {
            int last = children.size() - 1;
            parts.add(part(0, last));
            promoted.add(separators.get(last - 1));
            start = last;
        }
        parts.add(part(start, children.size()));
        return parts;
    }

    private DirtyParent part(int from, int to) {
        return new DirtyParent(height, new ArrayList<>(separators.subList(from, to - 1)), new ArrayList<>(children.subList(from, to)));
    }

    /** Appends {@code right}'s children; {@code between} (the separator between the two) moves down. */
    void append(Key between, DirtyParent right) {
        separators.add(between);
        separators.addAll(right.separators);
        children.addAll(right.children);
    }
}
