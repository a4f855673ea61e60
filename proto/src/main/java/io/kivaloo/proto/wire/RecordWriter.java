package io.kivaloo.proto.wire;

import io.kivaloo.proto.kvlds.Key;

/**
 * Builds one record big-endian into an array of a size known in advance; the
 * codecs compute the exact size so nothing is copied twice.
 */
public final class RecordWriter {

    private final byte[] record;
    private int position;

    public RecordWriter(int length) {
        this.record = new byte[length];
    }

    public RecordWriter u32(int value) {
        record[position] = (byte) (value >>> 24);
        record[position + 1] = (byte) (value >>> 16);
        record[position + 2] = (byte) (value >>> 8);
        record[position + 3] = (byte) value;
        position += 4;
        return this;
    }

    public RecordWriter u64(long value) {
        u32((int) (value >>> 32));
        return u32((int) value);
    }

    /** A kvlds string: one length byte and the bytes. */
    public RecordWriter string(Key key) {
        record[position++] = (byte) key.length();
        key.copyTo(record, position);
        position += key.length();
        return this;
    }

    public RecordWriter bytes(byte[] bytes) {
        System.arraycopy(bytes, 0, record, position, bytes.length);
        position += bytes.length;
        return this;
    }

    /** The finished record; fails if the precomputed size was wrong. */
    public byte[] finish() {
        if (position != record.length) {
            throw new IllegalStateException("record size mismatch: wrote " + position + " of " + record.length);
        }
        return record;
    }

    /** Serialized size of a kvlds string. */
    public static int stringSize(Key key) {
        return 1 + key.length();
    }
}
