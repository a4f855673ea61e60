package io.kivaloo.proto.wire;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.embedded.EmbeddedChannel;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.Size;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertFalse;

/**
 * Forwarding a packet under another ID without framing its record again
 * (mux): {@link FrameDecoder#wholeFrames} hands over each packet exactly as
 * received, after the same checks; {@link FrameEncoder#encodeReaddressed}
 * and {@link CoalescingFrameWriter} rewrite ID, header CRC and trailer, and
 * the result is byte for byte the packet framed from scratch, by the
 * bit-level CRC ({@link Frames#referencePacket}).
 */
class ReaddressingTest {

    @Property(tries = 2000)
    void readdressedPacketIsThePacketFramedFromScratch(@ForAll long id, @ForAll long newId,
                                                       @ForAll @Size(max = 600) byte[] record) {
        ByteBuf out = Unpooled.buffer();
        try {
            new FrameEncoder().encodeReaddressed(newId, Frames.packet(id, record), out);
            assertThat(ByteBufUtil.getBytes(out)).isEqualTo(Frames.referencePacket(newId, record));
        } finally {
            out.release();
        }
    }

    /** The vectors back to back, split at every byte: each comes out whole and unchanged, in order. */
    @Test
    void wholeFramesComeOutAsReceivedWhereverTheStreamIsSplit() {
        byte[] stream = WireVectors.concatenated();
        for (int cut = 0; cut <= stream.length; cut++) {
            List<Object> out = new ArrayList<>();
            EmbeddedChannel channel = wholeFrameReceiver(out);
            channel.writeInbound(Unpooled.wrappedBuffer(Arrays.copyOf(stream, cut)));
            channel.writeInbound(Unpooled.wrappedBuffer(Arrays.copyOfRange(stream, cut, stream.length)));
            assertThat(out).hasSize(WireVectors.ALL.size());
            for (int i = 0; i < out.size(); i++) {
                WireVectors.Vector v = WireVectors.ALL.get(i);
                assertThat((byte[]) out.get(i)).as("%s, split at %d", v, cut).isEqualTo(v.packet());
                assertThat(WireFormat.frameId((byte[]) out.get(i))).isEqualTo(v.id());
            }
            assertFalse(channel.finish());
        }
    }

    /** The record CRC is still checked on receipt: a relay must not pass a damaged record on under a fixed-up trailer. */
    @Test
    void wholeFramesWithADamagedRecordAreRefused() {
        byte[] packet = WireVectors.V3.packet().clone();
        packet[WireFormat.HEADER_LENGTH + 5] ^= 0x10;
        List<Object> out = new ArrayList<>();
        List<Throwable> errors = new ArrayList<>();
        EmbeddedChannel channel = new EmbeddedChannel(FrameDecoder.wholeFrames(1024), new ChannelInboundHandlerAdapter() {
            @Override
            public void channelRead(ChannelHandlerContext ctx, Object msg) {
                out.add(msg);
            }

            @Override
            public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
                errors.add(cause);
            }
        });
        channel.writeInbound(Unpooled.wrappedBuffer(packet));
        assertThat(out).isEmpty();
        assertThat(errors).singleElement().isInstanceOf(ProtocolException.class)
                .extracting(Throwable::getMessage).isEqualTo("Incorrect CRC on packet data");
        assertFalse(channel.finish());
    }

    /** Gathered and alone, shared buffer or own: every packet leaves in order, re-addressed, framed as from scratch. */
    @Test
    void coalescingWriterReaddressesInOrderGatheredOrAlone() {
        EmbeddedChannel channel = new EmbeddedChannel();
        CoalescingFrameWriter writer = new CoalescingFrameWriter(channel);
        ByteBuf expected = Unpooled.buffer();
        for (int i = 0; i < 3000; i++) {
            byte[] record = new byte[i % 97];
            Arrays.fill(record, (byte) i);
            byte[] received = Frames.packet(1_000_000L + i, record);
            if (i % 7 == 3) {
                writer.writeReaddressedAlone(-1L - i, received);
            } else {
                writer.writeReaddressed(-1L - i, received);
            }
            expected.writeBytes(Frames.referencePacket(-1L - i, record));
        }
        writer.flush();
        ByteBuf written = Unpooled.buffer();
        for (ByteBuf b; (b = channel.readOutbound()) != null; ) {
            assertThat(b.capacity()).isLessThanOrEqualTo(CoalescingFrameWriter.LIMIT_BYTES);
            written.writeBytes(b);
            b.release();
        }
        assertThat(ByteBufUtil.getBytes(written)).isEqualTo(ByteBufUtil.getBytes(expected));
        written.release();
        expected.release();
        assertFalse(channel.finish());
    }

    private static EmbeddedChannel wholeFrameReceiver(List<Object> out) {
        return new EmbeddedChannel(FrameDecoder.wholeFrames(WireFormat.MAX_RECORD_LENGTH), new ChannelInboundHandlerAdapter() {
            @Override
            public void channelRead(ChannelHandlerContext ctx, Object msg) {
                out.add(msg);
            }
        });
    }
}
