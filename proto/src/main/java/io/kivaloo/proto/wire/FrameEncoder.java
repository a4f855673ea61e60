package io.kivaloo.proto.wire;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.MessageToByteEncoder;

import static io.kivaloo.proto.wire.WireFormat.HEADER_CRC_OFFSET;
import static io.kivaloo.proto.wire.WireFormat.HEADER_LENGTH;
import static io.kivaloo.proto.wire.WireFormat.ID_OFFSET;
import static io.kivaloo.proto.wire.WireFormat.LENGTH_OFFSET;
import static io.kivaloo.proto.wire.WireFormat.OVERHEAD;

/**
 * Frames a {@link Packet} (layout in {@link WireFormat}) into one contiguous
 * buffer, so that each packet leaves in a single write: the original Python
 * test client reads a response with one {@code recv}.
 */
public final class FrameEncoder extends MessageToByteEncoder<Packet> {

    private final KivalooCrc crc = new KivalooCrc();
    private final byte[] header = new byte[HEADER_LENGTH];

    public FrameEncoder() {
        super(Packet.class);
    }

    @Override
    protected ByteBuf allocateBuffer(ChannelHandlerContext ctx, Packet packet, boolean preferDirect) {
        int size = packet.record().length + OVERHEAD;
        return preferDirect ? ctx.alloc().ioBuffer(size) : ctx.alloc().heapBuffer(size);
    }

    @Override
    protected void encode(ChannelHandlerContext ctx, Packet packet, ByteBuf out) {
        encode(packet, out);
    }

    /** Writes the framed packet to {@code out}; also used by tests and tools that frame by hand. */
    public void encode(Packet packet, ByteBuf out) {
        byte[] record = packet.record();
        writeHeader(packet.id(), record.length);
        int headerCrc = crc.reset().update(header, 0, HEADER_CRC_OFFSET).value();
        writeLittleEndianInt(header, HEADER_CRC_OFFSET, headerCrc);
        int trailer = crc.reset().update(record, 0, record.length).value() ^ headerCrc;
        out.writeBytes(header);
        out.writeBytes(record);
        out.writeIntLE(trailer);
    }

    /**
     * Writes {@code frame}, a whole packet as received and checked
     * ({@link FrameDecoder#wholeFrames}), to {@code out} under {@code id}:
     * a new header with its CRC, the record copied unchanged, and the
     * trailer fixed as {@code trailer ^ oldHeaderCrc ^ newHeaderCrc}. The
     * trailer is the record's CRC XOR the header CRC (wire.md §2), so the
     * record's CRC, a pass over every byte, is never computed again; only
     * the 12 header bytes are.
     */
    public void encodeReaddressed(long id, byte[] frame, ByteBuf out) {
        int recordLength = frame.length - OVERHEAD;
        writeHeader(id, recordLength);
        int headerCrc = crc.reset().update(header, 0, HEADER_CRC_OFFSET).value();
        writeLittleEndianInt(header, HEADER_CRC_OFFSET, headerCrc);
        int oldHeaderCrc = FrameDecoder.readLittleEndianInt(frame, HEADER_CRC_OFFSET);
        int trailer = FrameDecoder.readLittleEndianInt(frame, HEADER_LENGTH + recordLength) ^ oldHeaderCrc ^ headerCrc;
        out.writeBytes(header);
        out.writeBytes(frame, HEADER_LENGTH, recordLength);
        out.writeIntLE(trailer);
    }

    private void writeHeader(long id, int length) {
        for (int i = 0; i < 8; i++) {
            header[ID_OFFSET + i] = (byte) (id >>> (56 - 8 * i));
        }
        for (int i = 0; i < 4; i++) {
            header[LENGTH_OFFSET + i] = (byte) (length >>> (24 - 8 * i));
        }
    }

    private static void writeLittleEndianInt(byte[] bytes, int offset, int value) {
        bytes[offset] = (byte) value;
        bytes[offset + 1] = (byte) (value >>> 8);
        bytes[offset + 2] = (byte) (value >>> 16);
        bytes[offset + 3] = (byte) (value >>> 24);
    }
}
