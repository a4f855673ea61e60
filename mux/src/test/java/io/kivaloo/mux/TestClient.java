package io.kivaloo.mux;

import io.kivaloo.proto.client.Connector;
import io.kivaloo.proto.net.KivalooAddress;
import io.kivaloo.proto.net.Transport;
import io.kivaloo.proto.wire.FrameDecoder;
import io.kivaloo.proto.wire.FrameEncoder;
import io.kivaloo.proto.wire.Packet;
import io.kivaloo.proto.wire.WireFormat;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;

import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * A raw client of mux: sends packets with IDs the test picks (duplicates,
 * 0xFFFFFFFFFFFFFFFF) or raw bytes (garbage), and queues what comes back.
 */
final class TestClient implements AutoCloseable {

    private final Channel channel;
    private final BlockingQueue<Packet> responses;
    private final RawTap tap;

    private TestClient(Channel channel, BlockingQueue<Packet> responses, RawTap tap) {
        this.channel = channel;
        this.responses = responses;
        this.tap = tap;
    }

    static TestClient connect(KivalooAddress address, EventLoopGroup group) throws Exception {
        BlockingQueue<Packet> queue = new LinkedBlockingQueue<>();
        RawTap tap = new RawTap();
        Channel ch = Connector.connect(address, group, Transport.best(), new ChannelInitializer<Channel>() {
            @Override
            protected void initChannel(Channel c) {
                c.pipeline().addLast(tap, new FrameDecoder(WireFormat.DEFAULT_MAX_RECORD_LENGTH), new FrameEncoder(),
                        new SimpleChannelInboundHandler<Packet>() {
                            @Override
                            protected void channelRead0(ChannelHandlerContext ctx, Packet p) {
                                queue.add(p);
                            }

                            @Override
                            public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
                                ctx.close(); // mux reset the connection: the test sees it closed
                            }
                        });
            }
        }).get(30, TimeUnit.SECONDS);
        return new TestClient(ch, queue, tap);
    }

    void send(long id, byte[] record) {
        channel.writeAndFlush(new Packet(id, record)).syncUninterruptibly();
    }

    /**
     * Writes {@code packets} in one go, pipelined: framed here into one
     * buffer, so that they reach the socket at once rather than one event-loop
     * task each; does not wait for mux to read them.
     */
    void sendAll(Iterable<Packet> packets) {
        ByteBuf all = Unpooled.buffer();
        FrameEncoder framer = new FrameEncoder();
        for (Packet p : packets) {
            framer.encode(p, all);
        }
        channel.writeAndFlush(all);
    }

    void sendRaw(byte[] bytes) {
        channel.writeAndFlush(Unpooled.wrappedBuffer(bytes)).syncUninterruptibly();
    }

    Packet take() throws InterruptedException {
        Packet p = responses.poll(30, TimeUnit.SECONDS);
        if (p == null) {
            throw new AssertionError("no response within 30 s");
        }
        return p;
    }

    /** Every byte received from mux so far, before decoding. */
    byte[] rawReceived() {
        return tap.bytes();
    }

    BlockingQueue<Packet> responses() {
        return responses;
    }

    Channel channel() {
        return channel;
    }

    /** Waits until mux has closed the connection; fails after a generous deadline. */
    void awaitClosed() {
        if (!channel.closeFuture().awaitUninterruptibly(30, TimeUnit.SECONDS)) {
            throw new AssertionError("connection not closed within 30 s");
        }
    }

    boolean isOpen() {
        return channel.isActive();
    }

    @Override
    public void close() {
        channel.close().syncUninterruptibly();
    }
}
