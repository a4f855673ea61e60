package io.kivaloo.kvlds.btree;

import io.kivaloo.kvlds.page.PageFormat;
import io.kivaloo.proto.kvlds.Key;
import java.util.ArrayList;
import java.util.List;

/**
 * The cleaner's compaction (kvlds/DESIGN.md, "FREE and cleaning"): a run of
 * sibling leaves that a batch writes anyway, one of them for the cleaner, is
 * repacked into as few leaves as hold its pairs at about seven eighths of a
 * page, when that is fewer than the run has.
 *
 * <p>Why: leaves filled by random inserts end up about 69 % full (the B-tree
 * norm; splits leave two thirds), and the merge pass only joins nodes that
 * fit together within two thirds of a page. Every live page costs disk and
 * cleaning I/O, so a store that is repacked as the cleaner rewrites it holds
 * about a quarter fewer pages for the same pairs. Only runs that hold a
 * cleaned leaf are repacked: requests' own writes keep their cost, and a
 * repacked run costs no extra page, since every member was dirty already.
 * Seven eighths, not a full page, leaves room for a few inserts or longer
 * values before the leaf splits again.
 *
 * <p>The balancing conditions still hold: repacked leaves are within a page,
 * and the parent loses children, never gains any; a repack that would make
 * the parent's separators outgrow its page is not made.
 */
final class LeafRepack {

    static final int FILL_NUMERATOR = 7;
    static final int FILL_DENOMINATOR = 8;

    private LeafRepack() {
    }

    /** Size of a page filled to seven eighths, header included: repacked leaves and the rightmost leaf's parts. */
    static int fillTarget(int blockSize) {
        return blockSize * FILL_NUMERATOR / FILL_DENOMINATOR;
    }

    /** Repacks under every dirty parent of leaves below {@code root}; returns how many nodes the tree lost. */
    static int repackTree(DirtyNode root, int blockSize) {
        if (!(root instanceof DirtyParent)) {
            return 0;
        }
        return repackBelow((DirtyParent) root, blockSize, blockSize - PageFormat.ROOT_EXTRA);
    }

    private static int repackBelow(DirtyParent p, int blockSize, int parentLimit) {
        if (p.height > 1) {
            int removed = 0;
            for (Slot s : p.children) {
                if (s.dirty instanceof DirtyParent) {
                    removed += repackBelow((DirtyParent) s.dirty, blockSize, blockSize);
                }
            }
            return removed;
        }
        int removed = 0;
        int i = 0;
        while (i < p.children.size()) {
            int from = i;
            boolean cleaned = false;
            while (i < p.children.size() && p.children.get(i).dirty instanceof DirtyLeaf) {
                cleaned |= ((DirtyLeaf) p.children.get(i).dirty).cleaned;
                i++;
            }
            int to = i - 1;
            if (cleaned && to > from) {
                int lost = repackRun(p, from, to, blockSize, parentLimit);
                removed += lost;
                i -= lost;
            }
            i++;
        }
        return removed;
    }

    /** Repacks children {@code from..to} of {@code p} (all dirty leaves) if that saves a page; returns the pages saved. */
    private static int repackRun(DirtyParent p, int from, int to, int blockSize, int parentLimit) {
        int runLength = to - from + 1;
        int total = 0;
        for (int j = from; j <= to; j++) {
            total += ((DirtyLeaf) p.children.get(j).dirty).pairBytes();
        }
        int perPage = fillTarget(blockSize) - PageFormat.HEADER;
        int pages = Math.max(1, (total + perPage - 1) / perPage);
        if (pages >= runLength) {
            return 0;
        }
        DirtyLeaf all = new DirtyLeaf(new ArrayList<>(), new ArrayList<>());
        for (int j = from; j <= to; j++) {
            all.append((DirtyLeaf) p.children.get(j).dirty);
        }
        // A part is closed once over the even share, so there are at most `pages` parts.
        List<Key> separators = new ArrayList<>();
        List<DirtyLeaf> parts = all.split(PageFormat.HEADER + total / pages, blockSize, separators);
        if (parts.size() >= runLength) {
            return 0;
        }
        for (DirtyLeaf part : parts) {
            if (part.size() > blockSize) {
                return 0;
            }
        }
        int separatorBytesBefore = 0;
        for (int j = from; j < to; j++) {
            separatorBytesBefore += 1 + p.separators.get(j).length();
        }
        int separatorBytesAfter = 0;
        for (Key s : separators) {
            separatorBytesAfter += 1 + s.length();
        }
        int parentAfter = p.size() - PageFormat.CHILD * (runLength - parts.size()) - separatorBytesBefore + separatorBytesAfter;
        if (parentAfter > parentLimit) {
            return 0;
        }
        List<Slot> slots = new ArrayList<>(parts.size());
        for (DirtyLeaf part : parts) {
            slots.add(new Slot(part));
        }
        List<Slot> runSlots = p.children.subList(from, to + 1);
        runSlots.clear();
        runSlots.addAll(slots);
        List<Key> runSeparators = p.separators.subList(from, to);
        runSeparators.clear();
        runSeparators.addAll(separators);
        return runLength - parts.size();
    }
}
