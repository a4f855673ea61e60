package io.kivaloo.proto.client;

import io.kivaloo.proto.net.KivalooAddress;
import io.kivaloo.proto.net.Transport;
import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * Opens an outgoing connection to a kivaloo address, the one way every client
 * connects (lib/util/kivaloo.c in the original): a Unix socket, or the
 * addresses a host name resolves to, tried in order until one accepts.
 */
public final class Connector {

    /** How long one connection attempt may take, in milliseconds. */
    public static final int CONNECT_TIMEOUT_MILLIS = 10_000;

    private Connector() {
    }

    /** Connects, then runs {@code initializer} on the new channel's pipeline before it becomes active. */
    public static CompletableFuture<Channel> connect(KivalooAddress address, EventLoopGroup group, Transport transport,
                                                     ChannelInitializer<Channel> initializer) {
        CompletableFuture<Channel> result = new CompletableFuture<>();
        List<SocketAddress> targets;
        try {
            targets = targets(address, transport);
        } catch (UnknownHostException e) {
            result.completeExceptionally(new IOException("cannot resolve " + address.text() + ": " + e.getMessage(), e));
            return result;
        }
        Bootstrap bootstrap = new Bootstrap()
                .group(group)
                .channel(transport.channelClass(address))
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, CONNECT_TIMEOUT_MILLIS)
                .handler(initializer);
        if (address instanceof KivalooAddress.Tcp) {
            bootstrap.option(ChannelOption.TCP_NODELAY, true);
        }
        tryNext(bootstrap, address, targets, 0, null, result);
        return result;
    }

    private static List<SocketAddress> targets(KivalooAddress address, Transport transport) throws UnknownHostException {
        List<SocketAddress> targets = new ArrayList<>();
        if (address instanceof KivalooAddress.Unix) {
            targets.add(transport.unixSocketAddress((KivalooAddress.Unix) address));
        } else {
            for (InetSocketAddress resolved : ((KivalooAddress.Tcp) address).resolve()) {
                targets.add(resolved);
            }
        }
        return targets;
    }

    private static void tryNext(Bootstrap bootstrap, KivalooAddress address, List<SocketAddress> targets, int index,
                                Throwable lastFailure, CompletableFuture<Channel> result) {
        if (index == targets.size()) {
            String reason = lastFailure == null ? "no addresses" : describe(address, lastFailure);
            result.completeExceptionally(new IOException("cannot connect to " + address.text() + ": " + reason, lastFailure));
            return;
        }
        ChannelFuture attempt = bootstrap.connect(targets.get(index));
        attempt.addListener(f -> {
            if (f.isSuccess()) {
                result.complete(attempt.channel());
            } else {
                tryNext(bootstrap, address, targets, index + 1, f.cause(), result);
            }
        });
    }

    /** The failure in words; some transports fail a connect to a missing socket file without a message. */
    private static String describe(KivalooAddress address, Throwable failure) {
        if (failure.getMessage() != null) {
            return failure.getMessage();
        }
        if (address instanceof KivalooAddress.Unix && !java.nio.file.Files.exists(((KivalooAddress.Unix) address).path())) {
            return "no such socket file";
        }
        return failure.getClass().getSimpleName();
    }
}
