package io.kivaloo.proto.wire;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.ByteToMessageDecoder;

import java.util.List;

import static io.kivaloo.proto.wire.WireFormat.HEADER_CRC_OFFSET;
import static io.kivaloo.proto.wire.WireFormat.HEADER_LENGTH;
import static io.kivaloo.proto.wire.WireFormat.LENGTH_OFFSET;
import static io.kivaloo.proto.wire.WireFormat.OVERHEAD;
import static io.kivaloo.proto.wire.WireFormat.TRAILER_LENGTH;

/**
 * Splits a byte stream into {@link Packet}s (layout in {@link WireFormat}).
 *
 * <p>Order of checks, each before anything is trusted (wire.md §2.1):
 * <ol>
 *   <li>once 16 bytes are buffered, the header CRC; the length field is
 *       meaningless until it matches;</li>
 *   <li>the length against {@code maxRecordLength}, before waiting for (or
 *       allocating) the body: the C reader allocated whatever a header
 *       announced, up to 4 GiB;</li>
 *   <li>once the whole packet is buffered, the trailer CRC.</li>
 * </ol>
 * A failure fires a {@link ProtocolException} down the pipeline exactly once
 * and puts the decoder in a failed state that discards all later input: the
 * stream cannot be resynchronised, and the connection's owner decides when to
 * close (after the work already started has finished). Every complete packet
 * already buffered is decoded in one pass, which lets kvlds batch them.
 *
 * <p>A record of {@link #STREAM_FROM} bytes or more that has not arrived
 * whole is copied into its own array as its bytes come in, so the input
 * buffer stays small. Left in Netty's cumulation buffer, a 10 MB APPEND grew
 * it in 4 MiB steps, each a fresh, zeroed direct buffer outside the pool:
 * lbs spent most of its CPU zeroing memory and taking page faults for
 * kvlds's larger batches. The array is allocated when the header has been
 * checked, before the body arrives: at most {@code maxRecordLength}, once per
 * connection, as buffering the packet whole would take anyway.
 *
 * <p>Output: a {@link Packet} per packet, or, from {@link #wholeFrames}, the
 * whole packet as received ({@code byte[]} of header, record and trailer,
 * after the same checks) for a relay that forwards it under another ID
 * without framing the record again ({@link FrameEncoder#encodeReaddressed}).
 */
public final class FrameDecoder extends ByteToMessageDecoder {

    /** Records at least this long are filled in place as they arrive (see the class comment). */
    static final int STREAM_FROM = 64 * 1024;

    private final int maxRecordLength;
    private final int streamFrom;
    private final KivalooCrc crc = new KivalooCrc();
    private final byte[] header = new byte[HEADER_LENGTH];
    /** Emit each packet whole ({@code byte[]}) instead of as a {@link Packet}. */
    private final boolean wholeFrames;
    private boolean failed;
    /** The packet being filled in place, or null: the record (the whole packet for {@link #wholeFrames}). */
    private byte[] body;
    /** Bytes of {@link #body} filled so far. */
    private int bodyFilled;
    private long bodyId;
    private int bodyHeaderCrc;
    private int bodyRecordLength;

    /**
     * @param maxRecordLength largest record accepted, in bytes; a header
     *                        announcing more fails the stream at once
     */
    public FrameDecoder(int maxRecordLength) {
        this(maxRecordLength, false);
    }

    /**
     * A decoder that emits each packet, once checked, as one {@code byte[]}
     * holding it exactly as received: ID, length, header CRC, record, trailer
     * ({@link WireFormat}). For mux, which forwards records without decoding
     * or framing them again.
     */
    public static FrameDecoder wholeFrames(int maxRecordLength) {
        return new FrameDecoder(maxRecordLength, true);
    }

    private FrameDecoder(int maxRecordLength, boolean wholeFrames) {
        this(maxRecordLength, wholeFrames, STREAM_FROM);
    }

    /** @param streamFrom records at least this long are filled in place; tests use 0 to exercise that path with small ones */
    FrameDecoder(int maxRecordLength, boolean wholeFrames, int streamFrom) {
        this.wholeFrames = wholeFrames;
        this.streamFrom = streamFrom;
        if (maxRecordLength < 0 || maxRecordLength > WireFormat.MAX_RECORD_LENGTH) {
            throw new IllegalArgumentException("maxRecordLength: " + maxRecordLength
                    + " (expected: 0.." + WireFormat.MAX_RECORD_LENGTH + ")");
        }
        this.maxRecordLength = maxRecordLength;
    }

    @Override
    protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
        while (!failed) {
            if (body != null) {
                if (!fillBody(ctx, in, out)) {
                    break;
                }
                continue;
            }
            if (in.readableBytes() < HEADER_LENGTH) {
                break;
            }
            int start = in.readerIndex();
            in.getBytes(start, header);
            int headerCrc = crc.reset().update(header, 0, HEADER_CRC_OFFSET).value();
            if (headerCrc != readLittleEndianInt(header, HEADER_CRC_OFFSET)) {
                fail(ctx, in, "Incorrect CRC on packet header");
                return;
            }
            long length = in.getUnsignedInt(start + LENGTH_OFFSET);
            if (length > maxRecordLength) {
                fail(ctx, in, "record length: " + length + " (expected: <= " + maxRecordLength + ")");
                return;
            }
            int recordLength = (int) length;
            if (in.readableBytes() < recordLength + OVERHEAD) {
                if (recordLength >= streamFrom) {
                    startBody(in, recordLength, headerCrc);
                    continue;
                }
                return;
            }
            // A whole frame is copied from its first byte, a record from after the header.
            int recordOffset = wholeFrames ? HEADER_LENGTH : 0;
            byte[] bytes = new byte[wholeFrames ? recordLength + OVERHEAD : recordLength];
            in.getBytes(start + HEADER_LENGTH - recordOffset, bytes);
            int trailer = in.getIntLE(start + HEADER_LENGTH + recordLength);
            int recordCrc = crc.reset().update(bytes, recordOffset, recordLength).value();
            if ((recordCrc ^ trailer) != headerCrc) {
                fail(ctx, in, "Incorrect CRC on packet data");
                return;
            }
            long id = in.getLong(start);
            in.skipBytes(recordLength + OVERHEAD);
            out.add(wholeFrames ? bytes : new Packet(id, bytes));
        }
        if (failed) {
            in.skipBytes(in.readableBytes());
        }
    }

    /** Takes the checked header off {@code in} and starts filling the packet's record in place. */
    private void startBody(ByteBuf in, int recordLength, int headerCrc) {
        bodyId = in.getLong(in.readerIndex());
        bodyHeaderCrc = headerCrc;
        bodyRecordLength = recordLength;
        if (wholeFrames) {
            body = new byte[recordLength + OVERHEAD];
            in.readBytes(body, 0, HEADER_LENGTH);
            bodyFilled = HEADER_LENGTH;
        } else {
            body = new byte[recordLength];
            in.skipBytes(HEADER_LENGTH);
            bodyFilled = 0;
        }
    }

    /** Moves what has arrived into {@link #body}; true once the packet was emitted (or failed), false to wait for more. */
    private boolean fillBody(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
        int recordOffset = wholeFrames ? HEADER_LENGTH : 0;
        int recordEnd = recordOffset + bodyRecordLength;
        int n = Math.min(in.readableBytes(), recordEnd - bodyFilled);
        in.readBytes(body, bodyFilled, n);
        bodyFilled += n;
        if (bodyFilled < recordEnd || in.readableBytes() < TRAILER_LENGTH) {
            return false;
        }
        int trailer = in.readIntLE();
        byte[] bytes = body;
        body = null;
        if (wholeFrames) {
            for (int i = 0; i < TRAILER_LENGTH; i++) {
                bytes[recordEnd + i] = (byte) (trailer >>> (8 * i));
            }
        }
        int recordCrc = crc.reset().update(bytes, recordOffset, bodyRecordLength).value();
        if ((recordCrc ^ trailer) != bodyHeaderCrc) {
            fail(ctx, in, "Incorrect CRC on packet data");
            return true;
        }
        out.add(wholeFrames ? bytes : new Packet(bodyId, bytes));
        return true;
    }

    private void fail(ChannelHandlerContext ctx, ByteBuf in, String message) {
        failed = true;
        body = null;
        in.skipBytes(in.readableBytes());
        ctx.fireExceptionCaught(new ProtocolException(message));
    }

    /** Bytes read but not yet taken into a packet: what the input buffer holds (tests). */
    int bufferedBytes() {
        return internalBuffer().readableBytes();
    }

    /** True once the stream has failed; all later input is discarded. */
    public boolean isFailed() {
        return failed;
    }

    static int readLittleEndianInt(byte[] bytes, int offset) {
        return (bytes[offset] & 0xff)
                | (bytes[offset + 1] & 0xff) << 8
                | (bytes[offset + 2] & 0xff) << 16
                | (bytes[offset + 3] & 0xff) << 24;
    }

    /** Bytes of framing a record of {@code recordLength} bytes occupies: used for buffer sizing. */
    public static int packetLength(int recordLength) {
        return recordLength + HEADER_LENGTH + TRAILER_LENGTH;
    }
}
