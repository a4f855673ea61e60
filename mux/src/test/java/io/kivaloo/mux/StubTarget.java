package io.kivaloo.mux;

import io.kivaloo.proto.kvlds.KvldsCodec;
import io.kivaloo.proto.kvlds.KvldsRequest;
import io.kivaloo.proto.kvlds.KvldsResponse;
import io.kivaloo.proto.net.KivalooAddress;
import io.kivaloo.proto.net.Transport;
import io.kivaloo.proto.wire.FrameDecoder;
import io.kivaloo.proto.wire.FrameEncoder;
import io.kivaloo.proto.wire.Packet;
import io.kivaloo.proto.wire.WireFormat;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

/**
 * A target the test controls, speaking the framed protocol on a Unix
 * socket: PARAMS is answered with the configured limits; every other request
 * is put on {@link #received()} and, when an answer function is set,
 * answered with it, the requests of one read in a seeded shuffled order (so
 * responses come back out of order).
 */
final class StubTarget implements AutoCloseable {

    /** A request as the stub saw it, with the connection to answer on. */
    record Received(Channel channel, Packet packet) {
        void answer(byte[] record) {
            channel.writeAndFlush(new Packet(packet.id(), record));
        }
    }

    private final Path path;
    private final EventLoopGroup group;
    private final Transport transport = Transport.best();
    private final int kmax;
    private final int vmax;
    private final Random random;
    private final BlockingQueue<Received> received = new LinkedBlockingQueue<>();
    private final BlockingQueue<Channel> connections = new LinkedBlockingQueue<>();
    private final List<Channel> open = new CopyOnWriteArrayList<>();
    private volatile Function<Packet, byte[]> answer;
    /** What the latest connection received, as bytes on the wire. */
    private volatile RawTap tap;
    private Channel server;

    StubTarget(Path path, EventLoopGroup group, int kmax, int vmax, long seed) {
        this.path = path;
        this.group = group;
        this.kmax = kmax;
        this.vmax = vmax;
        this.random = new Random(seed);
    }

    /** Answers GET(key) with "present, value = key" and everything else with status 0. */
    static byte[] echoKey(Packet request) {
        try {
            KvldsRequest r = KvldsCodec.decodeRequest(request.record());
            if (r instanceof KvldsRequest.Get) {
                return KvldsCodec.encodeResponse(new KvldsResponse.Get(((KvldsRequest.Get) r).key()));
            }
            return KvldsCodec.encodeResponse(KvldsResponse.Status.OK);
        } catch (Exception e) {
            throw new AssertionError("stub got a request mux should have rejected", e);
        }
    }

    StubTarget answering(Function<Packet, byte[]> function) {
        this.answer = function;
        return this;
    }

    KivalooAddress address() {
        return KivalooAddress.parse(path.toString());
    }

    StubTarget start() throws Exception {
        Files.deleteIfExists(path);
        server = new ServerBootstrap().group(group).channel(transport.serverChannelClass(address()))
                .childHandler(new ChannelInitializer<Channel>() {
                    @Override
                    protected void initChannel(Channel ch) {
                        open.add(ch);
                        connections.add(ch);
                        tap = new RawTap();
                        ch.pipeline().addLast(tap, new FrameDecoder(WireFormat.DEFAULT_MAX_RECORD_LENGTH), new FrameEncoder(), new Handler());
                    }
                })
                .bind(transport.unixSocketAddress((KivalooAddress.Unix) address())).sync().channel();
        return this;
    }

    /** Every byte the latest connection from mux has received, before decoding. */
    byte[] rawReceived() {
        return tap.bytes();
    }

    BlockingQueue<Received> received() {
        return received;
    }

    /** Takes the next request, failing the test after a generous deadline. */
    Received take() throws InterruptedException {
        Received r = received.poll(30, TimeUnit.SECONDS);
        if (r == null) {
            throw new AssertionError("stub target received nothing within 30 s");
        }
        return r;
    }

    /** Waits for the next connection from mux. */
    Channel nextConnection() throws InterruptedException {
        Channel ch = connections.poll(30, TimeUnit.SECONDS);
        if (ch == null) {
            throw new AssertionError("mux did not connect to the stub within 30 s");
        }
        return ch;
    }

    /** Closes every open connection, as a target that crashed would. */
    void dropConnections() {
        for (Channel ch : open) {
            ch.close().syncUninterruptibly();
        }
        open.clear();
    }

    /** Stops listening and drops the connections: the target is gone. */
    void stop() throws Exception {
        if (server != null) {
            server.close().sync();
            server = null;
        }
        dropConnections();
        Files.deleteIfExists(path);
    }

    @Override
    public void close() throws Exception {
        stop();
    }

    private final class Handler extends ChannelInboundHandlerAdapter {
        private final List<Packet> batch = new ArrayList<>();

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            Packet p = (Packet) msg;
            if (p.record().length == 4 && p.record()[2] == 1 && p.record()[3] == 0 && p.record()[0] == 0 && p.record()[1] == 0) {
                ctx.writeAndFlush(new Packet(p.id(), KvldsCodec.encodeResponse(new KvldsResponse.Params(kmax, vmax))));
                return;
            }
            // Decided before the test can see the request: a test that takes it and then sets an answer
            // function answers it itself, and it must not be answered twice.
            if (answer != null) {
                batch.add(p);
            }
            received.add(new Received(ctx.channel(), p));
        }

        @Override
        public void channelReadComplete(ChannelHandlerContext ctx) {
            Function<Packet, byte[]> f = answer;
            if (f != null && !batch.isEmpty()) {
                Collections.shuffle(batch, random);
                for (Packet p : batch) {
                    ctx.write(new Packet(p.id(), f.apply(p)));
                }
                batch.clear();
                ctx.flush();
            }
        }

        @Override
        public void channelInactive(ChannelHandlerContext ctx) {
            open.remove(ctx.channel());
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            ctx.close();
        }
    }
}
