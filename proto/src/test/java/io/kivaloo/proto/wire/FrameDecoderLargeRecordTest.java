package io.kivaloo.proto.wire;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.buffer.Unpooled;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Records of {@link FrameDecoder#STREAM_FROM} bytes or more (lbs APPENDs of
 * many blocks) are filled in place as they arrive instead of piling up in the
 * input buffer: lbs spent most of its CPU zeroing the fresh direct buffers a
 * growing cumulation took for 10 MB APPENDs.
 */
class FrameDecoderLargeRecordTest {

    private static final int MAX = 16 << 20;
    private static final int READ = 1000;

    @Test
    void aLargeRecordArrivingInSmallReadsIsDecodedWithoutBufferingItWhole() {
        byte[] record = randomBytes(1 << 20, 1);
        DecoderProbe probe = new DecoderProbe(MAX);
        byte[] frame = Frames.packet(42, record);
        int lastRead = frame.length - frame.length % READ;
        feedInReads(probe, java.util.Arrays.copyOf(frame, lastRead), READ);
        assertThat(probe.decoder.bufferedBytes()).as("bytes held in the input buffer with all but the last read of 1 MiB in")
                .isLessThan(READ);
        probe.feed(frame, lastRead, frame.length);
        assertThat(probe.errors).isEmpty();
        assertThat(probe.packets).singleElement().satisfies(p -> {
            assertThat(p.id()).isEqualTo(42L);
            assertThat(p.record()).isEqualTo(record);
        });
        assertThat(probe.finish()).isFalse();
    }

    @Test
    void wholeFramesAreDeliveredByteForByteWhenFilledInPlace() {
        byte[] first = Frames.packet(7, randomBytes(200_000, 2));
        byte[] second = Frames.packet(8, randomBytes(300, 3));
        byte[] third = Frames.packet(-1, randomBytes(FrameDecoder.STREAM_FROM, 4));
        List<Object> out = new ArrayList<>();
        EmbeddedChannel channel = new EmbeddedChannel(FrameDecoder.wholeFrames(MAX), collector(out));
        byte[] stream = concat(first, second, third);
        for (int at = 0; at < stream.length; at += 777) {
            channel.writeInbound(Unpooled.wrappedBuffer(stream, at, Math.min(777, stream.length - at)));
        }
        assertThat(out).hasSize(3);
        assertThat((byte[]) out.get(0)).isEqualTo(first);
        assertThat((byte[]) out.get(1)).isEqualTo(second);
        assertThat((byte[]) out.get(2)).isEqualTo(third);
        assertThat(channel.finish()).isFalse();
    }

    @Test
    void aDamagedLargeRecordFailsTheStreamOnceAndNothingAfterItIsDelivered() {
        byte[] damaged = Frames.packet(1, randomBytes(100_000, 5));
        damaged[WireFormat.HEADER_LENGTH + 50_000] ^= 0x10;
        byte[] stream = concat(Frames.packet(0, randomBytes(10, 6)), damaged, Frames.packet(2, randomBytes(10, 7)));
        DecoderProbe probe = new DecoderProbe(MAX);
        feedInReads(probe, stream, READ);
        assertThat(probe.packets).singleElement().satisfies(p -> assertThat(p.id()).isZero());
        assertThat(probe.errors).singleElement().isInstanceOf(ProtocolException.class);
        assertThat(probe.decoder.isFailed()).isTrue();
        assertThat(probe.finish()).isFalse();
    }

    @Test
    void aStreamThatEndsInsideALargeRecordDeliversNothingAndRaisesNothing() {
        byte[] frame = Frames.packet(3, randomBytes(150_000, 8));
        DecoderProbe probe = new DecoderProbe(MAX);
        probe.feed(frame, 0, frame.length - 2);
        assertThat(probe.finish()).isFalse();
        assertThat(probe.packets).isEmpty();
        assertThat(probe.errors).isEmpty();
    }

    private static void feedInReads(DecoderProbe probe, byte[] stream, int read) {
        for (int at = 0; at < stream.length; at += read) {
            probe.feed(stream, at, Math.min(stream.length, at + read));
        }
    }

    private static ChannelInboundHandlerAdapter collector(List<Object> out) {
        return new ChannelInboundHandlerAdapter() {
            @Override
            public void channelRead(ChannelHandlerContext ctx, Object msg) {
                out.add(msg);
            }
        };
    }

    private static byte[] randomBytes(int n, long seed) {
        byte[] bytes = new byte[n];
        new Random(seed).nextBytes(bytes);
        return bytes;
    }

    private static byte[] concat(byte[]... parts) {
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        for (byte[] part : parts) {
            out.writeBytes(part);
        }
        return out.toByteArray();
    }
}
