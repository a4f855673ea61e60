package io.kivaloo.proto.wire;

/**
 * A strict big-endian cursor over one record. Every read checks that the
 * bytes are there; {@link #expectEnd()} checks that nothing is left over.
 * Any violation is a {@link ProtocolException} naming the field.
 */
public final class RecordReader {

    private final byte[] record;
    private final String what;
    private int position;

    /**
     * @param what names the record in error messages, e.g. {@code "KVLDS SET request"}
     */
    public RecordReader(byte[] record, String what) {
        this.record = record;
        this.what = what;
    }

    public int remaining() {
        return record.length - position;
    }

    public int position() {
        return position;
    }

    public int u32(String field) throws ProtocolException {
        need(4, field);
        int p = position;
        position += 4;
        return (record[p] & 0xff) << 24 | (record[p + 1] & 0xff) << 16 | (record[p + 2] & 0xff) << 8 | (record[p + 3] & 0xff);
    }

    public long u64(String field) throws ProtocolException {
        long high = u32(field) & 0xffffffffL;
        long low = u32(field) & 0xffffffffL;
        return high << 32 | low;
    }

    /** One length byte and that many bytes (a kvlds string, to the kvlds codec), copied. */
    public byte[] u8Prefixed(String field) throws ProtocolException {
        need(1, field);
        int length = record[position] & 0xff;
        need(1 + length, field);
        position += 1;
        return bytes(length, field);
    }

    /** The next {@code length} raw bytes, copied. */
    public byte[] bytes(int length, String field) throws ProtocolException {
        need(length, field);
        byte[] out = java.util.Arrays.copyOfRange(record, position, position + length);
        position += length;
        return out;
    }

    /** All remaining bytes, copied. */
    public byte[] rest() {
        byte[] out = java.util.Arrays.copyOfRange(record, position, record.length);
        position = record.length;
        return out;
    }

    public void expectEnd() throws ProtocolException {
        if (position != record.length) {
            throw new ProtocolException(what + ": " + (record.length - position) + " trailing bytes (record length " + record.length + ")");
        }
    }

    private void need(int n, String field) throws ProtocolException {
        if (record.length - position < n) {
            throw new ProtocolException(what + ": truncated at " + field + ": need " + n + " bytes at offset " + position
                    + ", record length " + record.length);
        }
    }
}
