package io.kivaloo.mux;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;

import java.io.ByteArrayOutputStream;

/**
 * First inbound handler of a test pipeline: keeps a copy of every byte the
 * connection receives, before any decoder, so that a test can compare what
 * mux put on the wire byte for byte. Passes everything on untouched.
 */
final class RawTap extends ChannelInboundHandlerAdapter {

    private final ByteArrayOutputStream received = new ByteArrayOutputStream();

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (msg instanceof ByteBuf) {
            ByteBuf buf = (ByteBuf) msg;
            byte[] copy = new byte[buf.readableBytes()];
            buf.getBytes(buf.readerIndex(), copy);
            synchronized (received) {
                received.writeBytes(copy);
            }
        }
        ctx.fireChannelRead(msg);
    }

    /** Every byte received so far. */
    byte[] bytes() {
        synchronized (received) {
            return received.toByteArray();
        }
    }
}
