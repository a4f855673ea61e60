package io.kivaloo.proto.wire;

import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.util.ReferenceCountUtil;

import java.util.ArrayList;
import java.util.List;

/**
 * A {@link FrameDecoder} in an {@link EmbeddedChannel}, followed by a handler
 * that records what comes out: packets in order, and every exception fired
 * down the pipeline (so that none is rethrown by the embedded channel and
 * each can be asserted on).
 */
final class DecoderProbe {

    final FrameDecoder decoder;
    final EmbeddedChannel channel;
    final List<Packet> packets = new ArrayList<>();
    final List<Throwable> errors = new ArrayList<>();
    /** Anything else that reached the end of the pipeline: a decoder bug. */
    final List<Object> strays = new ArrayList<>();

    DecoderProbe(int maxRecordLength) {
        this(maxRecordLength, null);
    }

    DecoderProbe(int maxRecordLength, ByteBufAllocator allocator) {
        this(maxRecordLength, allocator, FrameDecoder.STREAM_FROM);
    }

    /** @param streamFrom records at least this long are filled in place (0: every record not yet whole) */
    DecoderProbe(int maxRecordLength, ByteBufAllocator allocator, int streamFrom) {
        decoder = new FrameDecoder(maxRecordLength, false, streamFrom);
        channel = new EmbeddedChannel();
        if (allocator != null) {
            channel.config().setAllocator(allocator);
        }
        channel.pipeline().addLast(decoder, new ChannelInboundHandlerAdapter() {
            @Override
            public void channelRead(ChannelHandlerContext ctx, Object msg) {
                if (msg instanceof Packet) {
                    packets.add((Packet) msg);
                } else {
                    strays.add(msg.getClass().getName());
                    ReferenceCountUtil.release(msg);
                }
            }

            @Override
            public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
                errors.add(cause);
            }
        });
    }

    /** Feeds {@code bytes[from, to)} as one read. */
    DecoderProbe feed(byte[] bytes, int from, int to) {
        channel.writeInbound(Unpooled.wrappedBuffer(bytes, from, to - from));
        return this;
    }

    DecoderProbe feed(byte[] bytes) {
        return feed(bytes, 0, bytes.length);
    }

    /** Closes the channel; true if anything was left in it (it never should be). */
    boolean finish() {
        return channel.finish();
    }
}
