package io.kivaloo.proto.wire;

/**
 * A packet whose record is several arrays back to back, framed without
 * joining them: an APPEND's 16-byte header and its blocks, each block the
 * array a page was written into. The arrays are owned by the packet, as a
 * {@link Packet}'s record is: nobody modifies them afterwards.
 *
 * <p>Why not join them into one record: an APPEND of a few thousand pages is
 * megabytes, and one array that large is a humongous object to G1, allocated
 * zeroed in the old generation, whose every allocation also starts a
 * concurrent marking cycle once the heap is past its threshold (kvlds/DESIGN.md
 * "Memory": the cause of every marking cycle under random_mixed).
 */
public record GatheredPacket(long id, byte[][] pieces) {

    public GatheredPacket {
        if (pieces == null || pieces.length == 0) {
            throw new IllegalArgumentException("pieces: none");
        }
    }

    /** The record's length: the pieces' lengths summed. */
    public int recordLength() {
        long length = 0;
        for (byte[] piece : pieces) {
            length += piece.length;
        }
        if (length > WireFormat.MAX_RECORD_LENGTH) {
            throw new IllegalArgumentException("record of " + length + " bytes (expected: <= " + WireFormat.MAX_RECORD_LENGTH + ")");
        }
        return (int) length;
    }

    @Override
    public String toString() {
        return "GatheredPacket[id=" + Long.toUnsignedString(id) + ", pieces=" + pieces.length + "]";
    }
}
