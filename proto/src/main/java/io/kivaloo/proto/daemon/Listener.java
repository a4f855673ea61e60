package io.kivaloo.proto.daemon;

import io.kivaloo.proto.net.KivalooAddress;
import io.kivaloo.proto.net.Transport;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.List;

/**
 * The listening sockets of a daemon at one address (wire.md §5).
 *
 * <p>A Unix socket file left behind by a daemon that died (kill -9) is
 * detected by connecting to it: if nobody answers it is removed and the
 * address reused; if a daemon answers, start-up fails with "address already
 * in use". A path that is not a socket is never removed. The socket file is
 * removed again when the listener closes.
 */
public final class Listener implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(Listener.class);

    private final KivalooAddress address;
    private final List<Channel> channels;

    private Listener(KivalooAddress address, List<Channel> channels) {
        this.address = address;
        this.channels = channels;
    }

    /**
     * Binds and listens.
     *
     * @param allAddresses listen on every address a host name resolves to (mux),
     *                     rather than the first one only (lbs, kvlds)
     * @param backlog      listen backlog; the original uses 10
     * @param limiter      connection limit shared by all of a daemon's listeners
     */
    public static Listener bind(KivalooAddress address, Transport transport, EventLoopGroup acceptGroup,
                                EventLoopGroup childGroup, ChannelInitializer<Channel> childInitializer,
                                AcceptLimiter limiter, boolean allAddresses, int backlog) throws StartupException {
        List<java.net.SocketAddress> targets = new ArrayList<>();
        if (address instanceof KivalooAddress.Unix) {
            KivalooAddress.Unix unix = (KivalooAddress.Unix) address;
            removeStaleSocket(unix.path());
            targets.add(transport.unixSocketAddress(unix));
        } else {
            List<InetSocketAddress> resolved;
            try {
                resolved = ((KivalooAddress.Tcp) address).resolve();
            } catch (IOException e) {
                throw new StartupException("cannot resolve " + address.text() + ": " + e.getMessage(), e);
            }
            if (!allAddresses && resolved.size() > 1) {
                log.warn("address resolves to several; listening on the first addr={} first={}", address.text(), resolved.get(0));
                resolved = resolved.subList(0, 1);
            }
            targets.addAll(resolved);
        }
        ServerBootstrap bootstrap = new ServerBootstrap()
                .group(acceptGroup, childGroup)
                .channel(transport.serverChannelClass(address))
                .option(ChannelOption.SO_BACKLOG, backlog)
                .handler(limiter)
                .childHandler(childInitializer);
        if (address instanceof KivalooAddress.Tcp) {
            bootstrap.option(ChannelOption.SO_REUSEADDR, true).childOption(ChannelOption.TCP_NODELAY, true);
        }
        List<Channel> channels = new ArrayList<>();
        for (java.net.SocketAddress target : targets) {
            ChannelFuture bound = bootstrap.bind(target).awaitUninterruptibly();
            if (!bound.isSuccess()) {
                for (Channel c : channels) {
                    c.close().awaitUninterruptibly();
                }
                Throwable cause = bound.cause();
                throw new StartupException("cannot listen on " + address.text() + ": " + cause.getMessage(), cause);
            }
            channels.add(bound.channel());
        }
        log.info("listening addr={} transport={}", address.text(), transport.name());
        return new Listener(address, channels);
    }

    private static void removeStaleSocket(Path path) throws StartupException {
        BasicFileAttributes attributes;
        try {
            attributes = Files.readAttributes(path, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
        } catch (IOException e) {
            return; // nothing there
        }
        if (!attributes.isOther()) {
            throw new StartupException("cannot listen on " + path + ": the path exists and is not a socket");
        }
        try (SocketChannel probe = SocketChannel.open(StandardProtocolFamily.UNIX)) {
            probe.connect(UnixDomainSocketAddress.of(path));
            throw new StartupException("cannot listen on " + path + ": address already in use (a daemon is listening there)");
        } catch (IOException refused) {
            try {
                Files.deleteIfExists(path);
                log.info("removed stale socket path={}", path);
            } catch (IOException e) {
                throw new StartupException("cannot remove stale socket " + path + ": " + e.getMessage(), e);
            }
        }
    }

    public KivalooAddress address() {
        return address;
    }

    public List<Channel> channels() {
        return channels;
    }

    /** Stops listening and removes the Unix socket file. */
    @Override
    public void close() {
        for (Channel channel : channels) {
            channel.close().awaitUninterruptibly();
        }
        if (address instanceof KivalooAddress.Unix) {
            Path path = ((KivalooAddress.Unix) address).path();
            try {
                Files.deleteIfExists(path);
            } catch (IOException e) {
                log.warn("cannot remove socket path={} reason={}", path, e.getMessage());
            }
        }
    }
}
