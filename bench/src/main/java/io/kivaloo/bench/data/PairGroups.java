package io.kivaloo.bench.data;

import java.util.Arrays;

/**
 * The output of {@code mkpairs N} (bench/mkpairs/main.c), one group at a time:
 * group X holds the records {@code key(X,Y) || value(X,Y)} (80 bytes) for
 * Y = 0..65535 (the last group may be short), sorted by unsigned comparison of
 * all 80 bytes. Keys begin with be64(X), so the whole output is sorted by key
 * and is exactly 80·N bytes.
 */
public final class PairGroups {

    private final long count;
    private final PairMaker maker = new PairMaker();
    private long nextX;

    /** @param count N, the number of pairs */
    public PairGroups(long count) {
        if (count < 0) {
            throw new IllegalArgumentException("pair count: " + count + " (expected: >= 0)");
        }
        this.count = count;
    }

    /** The next group's records, back to back, or null after the last one. */
    public byte[] nextGroup() {
        long first = nextX * PairMaker.GROUP_SIZE;
        if (first >= count) {
            return null;
        }
        int size = (int) Math.min(PairMaker.GROUP_SIZE, count - first);
        long x = nextX++;
        byte[] records = new byte[size * PairMaker.RECORD_LENGTH];
        for (int y = 0; y < size; y++) {
            int offset = y * PairMaker.RECORD_LENGTH;
            maker.key(x, y, records, offset);
            maker.value(x, y, records, offset + PairMaker.KEY_LENGTH);
        }
        return sortRecords(records, size);
    }

    private static byte[] sortRecords(byte[] records, int size) {
        final int len = PairMaker.RECORD_LENGTH;
        Integer[] order = new Integer[size];
        for (int i = 0; i < size; i++) {
            order[i] = i;
        }
        Arrays.sort(order, (a, b) -> Arrays.compareUnsigned(records, a * len, a * len + len, records, b * len, b * len + len));
        byte[] sorted = new byte[records.length];
        for (int i = 0; i < size; i++) {
            System.arraycopy(records, order[i] * len, sorted, i * len, len);
        }
        return sorted;
    }
}
