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
 * Framing for tests: a packet to its bytes, and a record sent through the
 * real encoder and decoder pipeline and back. Public so that the codec tests
 * of other packages (and modules, through the test-jar) frame the same way.
 */
public final class Frames {

    private Frames() {
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
