package io.kivaloo.proto.wire;

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

    /** One length byte and the bytes (a kvlds string, from the kvlds codec); at most 255 of them. */
    public RecordWriter u8Prefixed(byte[] bytes) {
        if (bytes.length > 0xff) {
            throw new IllegalArgumentException("u8-prefixed length: " + bytes.length + " (expected: <= 255)");
        }
        record[position++] = (byte) bytes.length;
        return bytes(bytes);
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
}
