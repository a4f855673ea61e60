package io.kivaloo.proto.wire;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPromise;
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

    @Override
    public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) throws Exception {
        if (msg instanceof GatheredPacket gathered) {
            writeGathered(ctx, gathered, promise);
        } else {
            super.write(ctx, msg, promise);
        }
    }

    /**
     * Frames {@code packet} into one buffer, copying its pieces in turn and
     * computing the record's CRC as it goes. One buffer, not several: Netty's
     * epoll transport caps a gathering write at a size it halves after every
     * short write, and a Unix socket's short writes took it down to a few
     * KiB, so a 10 MB APPEND in 256 KiB buffers left in thousands of small
     * writes and event-loop turns (random_mixed fell from 26.8k to 14.1k
     * SETs/s); a single buffer is written as far as the socket takes it.
     */
    private void writeGathered(ChannelHandlerContext ctx, GatheredPacket packet, ChannelPromise promise) {
        int length = packet.recordLength();
        writeHeader(packet.id(), length);
        int headerCrc = crc.reset().update(header, 0, HEADER_CRC_OFFSET).value();
        writeLittleEndianInt(header, HEADER_CRC_OFFSET, headerCrc);
        crc.reset();
        ByteBuf out = ctx.alloc().ioBuffer(length + OVERHEAD);
        try {
            out.writeBytes(header);
            for (byte[] piece : packet.pieces()) {
                crc.update(piece, 0, piece.length);
                out.writeBytes(piece);
            }
            out.writeIntLE(crc.value() ^ headerCrc);
        } catch (RuntimeException | Error e) {
            out.release();
            throw e;
        }
        ctx.write(out, promise);
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
