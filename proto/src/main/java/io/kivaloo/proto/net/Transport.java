package io.kivaloo.proto.net;

import io.netty.channel.Channel;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.IoHandlerFactory;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.ServerChannel;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollDomainSocketChannel;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollServerDomainSocketChannel;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.epoll.EpollSocketChannel;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioDomainSocketChannel;
import io.netty.channel.socket.nio.NioServerDomainSocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.channel.unix.DomainSocketAddress;
import io.netty.util.concurrent.DefaultThreadFactory;

import java.net.SocketAddress;
import java.net.UnixDomainSocketAddress;

/**
 * The Netty transport: native epoll on Linux, NIO elsewhere (or when the
 * system property {@code kivaloo.transport=nio} asks for it). Both carry Unix
 * and TCP sockets; this class picks the channel classes and the Netty form of
 * a Unix socket address for whichever is in use.
 */
public final class Transport {

    private final boolean epoll;

    private Transport(boolean epoll) {
        this.epoll = epoll;
    }

    /** Epoll where available, NIO otherwise. */
    public static Transport best() {
        boolean wantNio = "nio".equalsIgnoreCase(System.getProperty("kivaloo.transport", ""));
        return new Transport(!wantNio && Epoll.isAvailable());
    }

    public static Transport nio() {
        return new Transport(false);
    }

    public boolean isEpoll() {
        return epoll;
    }

    public String name() {
        return epoll ? "epoll" : "nio";
    }

    /** An event loop group of {@code threads} threads named {@code name-N}. */
    public EventLoopGroup newEventLoopGroup(int threads, String name) {
        IoHandlerFactory factory = epoll ? EpollIoHandler.newFactory() : NioIoHandler.newFactory();
        return new MultiThreadIoEventLoopGroup(threads, new DefaultThreadFactory(name, true), factory);
    }

    public Class<? extends ServerChannel> serverChannelClass(KivalooAddress address) {
        boolean unix = address instanceof KivalooAddress.Unix;
        if (epoll) {
            return unix ? EpollServerDomainSocketChannel.class : EpollServerSocketChannel.class;
        }
        return unix ? NioServerDomainSocketChannel.class : NioServerSocketChannel.class;
    }

    public Class<? extends Channel> channelClass(KivalooAddress address) {
        boolean unix = address instanceof KivalooAddress.Unix;
        if (epoll) {
            return unix ? EpollDomainSocketChannel.class : EpollSocketChannel.class;
        }
        return unix ? NioDomainSocketChannel.class : NioSocketChannel.class;
    }

    /** The socket address Netty's channels of this transport take for a Unix socket. */
    public SocketAddress unixSocketAddress(KivalooAddress.Unix address) {
        return epoll ? new DomainSocketAddress(address.path().toString()) : UnixDomainSocketAddress.of(address.path());
    }
}
