package io.kivaloo.bench.data;

/** The records of {@code mkpairs N}, generated in-process instead of read from a pipe. */
public final class GeneratedPairInput implements PairInput {

    private final long count;
    private PairGroups groups;
    private byte[] group;
    private int offset;

    public GeneratedPairInput(long count) {
        this.count = count;
        rewind();
    }

    @Override
    public boolean read(byte[] record) {
        if (group == null || offset == group.length) {
            group = groups.nextGroup();
            offset = 0;
            if (group == null) {
                return false;
            }
        }
        System.arraycopy(group, offset, record, 0, record.length);
        offset += record.length;
        return true;
    }

    @Override
    public void rewind() {
        groups = new PairGroups(count);
        group = null;
        offset = 0;
    }

    @Override
    public void close() {
        groups = null;
    }
}
