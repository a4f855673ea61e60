package io.kivaloo.proto.client;

import io.kivaloo.proto.net.KivalooAddress;
import io.kivaloo.proto.net.Transport;
import io.kivaloo.proto.wire.FrameDecoder;
import io.kivaloo.proto.wire.FrameEncoder;
import io.kivaloo.proto.wire.WireFormat;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.group.ChannelGroup;
import io.netty.channel.group.DefaultChannelGroup;
import io.netty.util.concurrent.GlobalEventExecutor;

import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.function.Supplier;

/**
 * A scripted server for client tests: framing as in every kivaloo pipeline,
 * then a handler made fresh for each connection, which decides what to
 * answer, when, and under which ID. Listens on a Unix socket in a given
 * directory or on TCP 127.0.0.1 at a port the kernel picks.
 */
public final class StubServer implements AutoCloseable {

    /** Where a stub listens. */
    public enum Kind { UNIX, TCP }

    private final Channel listener;
    private final ChannelGroup connections;
    private final KivalooAddress address;

    private StubServer(Channel listener, ChannelGroup connections, KivalooAddress address) {
        this.listener = listener;
        this.connections = connections;
        this.address = address;
    }

    /**
     * @param directory where a Unix socket goes (ignored for TCP); keep it short, sun_path is 107 bytes
     * @param handler   makes the handler that follows the framing on each accepted connection
     */
    public static StubServer start(Kind kind, Transport transport, EventLoopGroup group, Path directory,
                                   Supplier<ChannelHandler> handler) {
        ChannelGroup connections = new DefaultChannelGroup(GlobalEventExecutor.INSTANCE);
        KivalooAddress address = kind == Kind.UNIX ? KivalooAddress.parse(directory.resolve("stub.sock").toString()) : null;
        // The server class depends only on Unix vs TCP; any TCP address picks the TCP class.
        KivalooAddress classOf = address != null ? address : KivalooAddress.parse("127.0.0.1:1");
        ServerBootstrap bootstrap = new ServerBootstrap()
                .group(group)
                .channel(transport.serverChannelClass(classOf))
                .childHandler(new ChannelInitializer<Channel>() {
                    @Override
                    protected void initChannel(Channel ch) {
                        connections.add(ch);
                        ch.pipeline().addLast(new FrameDecoder(WireFormat.DEFAULT_MAX_RECORD_LENGTH),
                                new FrameEncoder(), handler.get());
                    }
                });
        Channel listener;
        if (kind == Kind.UNIX) {
            listener = bootstrap.bind(transport.unixSocketAddress((KivalooAddress.Unix) address)).syncUninterruptibly().channel();
        } else {
            listener = bootstrap.bind(new InetSocketAddress("127.0.0.1", 0)).syncUninterruptibly().channel();
            int port = ((InetSocketAddress) listener.localAddress()).getPort();
            address = KivalooAddress.parse("127.0.0.1:" + port);
        }
        return new StubServer(listener, connections, address);
    }

    public KivalooAddress address() {
        return address;
    }

    /** Connections accepted and still open. */
    public ChannelGroup connections() {
        return connections;
    }

    @Override
    public void close() {
        listener.close().syncUninterruptibly();
        connections.close().syncUninterruptibly();
    }
}
