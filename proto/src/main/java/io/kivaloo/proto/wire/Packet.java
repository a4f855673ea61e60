package io.kivaloo.proto.wire;

/**
 * One framed packet: a request ID and the record it carries (wire.md §2).
 *
 * <p>The ID is an unsigned 64-bit value chosen by the requester and echoed in
 * the response; compare and print it with the unsigned methods of {@link Long}.
 * The record is owned by the packet: whoever builds a packet hands the array
 * over and nobody modifies it afterwards.
 */
public record Packet(long id, byte[] record) {

    public Packet {
        if (record == null) {
            throw new IllegalArgumentException("record: null");
        }
    }

    @Override
    public String toString() {
        return "Packet[id=" + Long.toUnsignedString(id) + ", length=" + record.length + "]";
    }
}
