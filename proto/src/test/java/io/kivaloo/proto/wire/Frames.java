package io.kivaloo.proto.wire;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.embedded.EmbeddedChannel;

import java.util.ArrayList;
import java.util.List;

/**
 * Framing for tests: a packet to its bytes, a bare header announcing any
 * length (the one place tests build a header), and a record sent through the
 * real encoder and decoder pipeline and back. Public so that the codec tests
 * of other packages (and modules, through the test-jar) frame the same way.
 */
public final class Frames {

    private Frames() {
    }

    /** The bytes {@link FrameEncoder} puts on the wire for a packet of {@code record} under {@code id}. */
    public static byte[] packet(long id, byte[] record) {
        return encode(new Packet(id, record));
    }

    /**
     * Just a 16-byte header announcing a record of {@code length} bytes
     * (unsigned: up to 2^32-1, more than any record there is) with a correct
     * header CRC, for tests of what a reader does before the body.
     */
    public static byte[] header(long id, long length) {
        byte[] header = new byte[WireFormat.HEADER_LENGTH];
        for (int i = 0; i < 8; i++) {
            header[WireFormat.ID_OFFSET + i] = (byte) (id >>> (56 - 8 * i));
        }
        for (int i = 0; i < 4; i++) {
            header[WireFormat.LENGTH_OFFSET + i] = (byte) (length >>> (24 - 8 * i));
        }
        int crc = KivalooCrc.of(header, 0, WireFormat.HEADER_CRC_OFFSET);
        for (int i = 0; i < 4; i++) {
            header[WireFormat.HEADER_CRC_OFFSET + i] = (byte) (crc >>> (8 * i));
        }
        return header;
    }

    /**
     * A packet framed by the letter of wire.md §2 with the bit-level CRC of
     * §3.1 ({@link WireVectors#bitwiseCrc}), independently of
     * {@link FrameEncoder} and {@link KivalooCrc}: what any framing of
     * {@code record} under {@code id} must equal byte for byte.
     */
    public static byte[] referencePacket(long id, byte[] record) {
        byte[] packet = new byte[record.length + WireFormat.OVERHEAD];
        for (int i = 0; i < 8; i++) {
            packet[i] = (byte) (id >>> (56 - 8 * i));
        }
        for (int i = 0; i < 4; i++) {
            packet[8 + i] = (byte) (record.length >>> (24 - 8 * i));
        }
        int headerCrc = WireVectors.bitwiseCrc(packet, 0, 12);
        int trailer = WireVectors.bitwiseCrc(record, 0, record.length) ^ headerCrc;
        System.arraycopy(record, 0, packet, 16, record.length);
        for (int i = 0; i < 4; i++) {
            packet[12 + i] = (byte) (headerCrc >>> (8 * i));
            packet[16 + record.length + i] = (byte) (trailer >>> (8 * i));
        }
        return packet;
    }

    /** The bytes {@link FrameEncoder} puts on the wire for {@code packet}. */
    public static byte[] encode(Packet packet) {
        ByteBuf out = Unpooled.buffer(FrameDecoder.packetLength(packet.record().length));
        try {
            new FrameEncoder().encode(packet, out);
            return ByteBufUtil.getBytes(out);
        } finally {
            out.release();
        }
    }

    /**
     * Sends {@code record} under {@code id} through an {@link EmbeddedChannel}
     * with {@link FrameEncoder}, then the bytes through one with
     * {@link FrameDecoder}, and returns the record that came out; fails if the
     * ID changed or anything else came out.
     */
    public static byte[] throughTheWire(long id, byte[] record) {
        EmbeddedChannel sender = new EmbeddedChannel(new FrameEncoder());
        sender.writeOutbound(new Packet(id, record));
        ByteBuf bytes = sender.readOutbound();
        if (sender.finish()) {
            throw new AssertionError("encoder produced more than one buffer");
        }
        List<Object> received = new ArrayList<>();
        EmbeddedChannel receiver = new EmbeddedChannel(new FrameDecoder(WireFormat.MAX_RECORD_LENGTH),
                new ChannelInboundHandlerAdapter() {
                    @Override
                    public void channelRead(ChannelHandlerContext ctx, Object msg) {
                        received.add(msg);
                    }
                });
        receiver.writeInbound(bytes);
        if (receiver.finish()) {
            throw new AssertionError("decoder left messages behind");
        }
        if (received.size() != 1 || !(received.get(0) instanceof Packet)) {
            throw new AssertionError("expected one packet, got " + received);
        }
        Packet packet = (Packet) received.get(0);
        if (packet.id() != id) {
            throw new AssertionError("id " + Long.toUnsignedString(packet.id()) + " (expected: " + Long.toUnsignedString(id) + ")");
        }
        return packet.record();
    }
}
