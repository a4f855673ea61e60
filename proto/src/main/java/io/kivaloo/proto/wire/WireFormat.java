package io.kivaloo.proto.wire;

/**
 * Byte layout of a packet (wire.md §2):
 *
 * <pre>
 * offset   size  field
 * 0        8     request ID, big-endian u64
 * 8        4     record length L, big-endian u32
 * 12       4     header CRC: kivaloo CRC of bytes 0..11, little-endian
 * 16       L     record
 * 16+L     4     trailer: (CRC of the record, little-endian) XOR (the header CRC bytes)
 * </pre>
 */
public final class WireFormat {

    public static final int ID_OFFSET = 0;
    public static final int LENGTH_OFFSET = 8;
    public static final int HEADER_CRC_OFFSET = 12;
    /** Bytes before the record: ID, length and header CRC. */
    public static final int HEADER_LENGTH = 16;
    /** Bytes after the record: the trailer CRC. */
    public static final int TRAILER_LENGTH = 4;
    /** Bytes of a packet that are not record. */
    public static final int OVERHEAD = HEADER_LENGTH + TRAILER_LENGTH;
    /** The largest record that still fits one Java array together with its framing. */
    public static final int MAX_RECORD_LENGTH = Integer.MAX_VALUE - 64;
    /**
     * Default cap for receivers that do not know better: 512 MiB holds the
     * largest APPEND a C kvlds sends with its default cache many times over.
     */
    public static final int DEFAULT_MAX_RECORD_LENGTH = 512 * 1024 * 1024;

    private WireFormat() {
    }

    /** The request ID of a whole packet held as bytes ({@link FrameDecoder#wholeFrames}). */
    public static long frameId(byte[] frame) {
        long id = 0;
        for (int i = 0; i < 8; i++) {
            id = id << 8 | (frame[ID_OFFSET + i] & 0xff);
        }
        return id;
    }
}
