package io.kivaloo.bench.run;

import io.kivaloo.proto.client.KvldsClient;
import io.kivaloo.proto.net.KivalooAddress;
import io.kivaloo.proto.net.Transport;
import io.netty.channel.EventLoop;
import io.netty.channel.EventLoopGroup;

import java.io.IOException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * One KVLDS connection on one event-loop thread, like the C programs' single
 * request queue: every workload callback, counter and request runs on
 * {@link #loop()}, so workloads need no locks.
 */
public final class BenchConnection implements AutoCloseable {

    private static final long CONNECT_TIMEOUT_SECONDS = 30;

    private final EventLoopGroup group;
    private final KvldsClient client;

    private BenchConnection(EventLoopGroup group, KvldsClient client) {
        this.group = group;
        this.client = client;
    }

    public static BenchConnection open(KivalooAddress address) throws IOException {
        Transport transport = Transport.best();
        EventLoopGroup group = transport.newEventLoopGroup(1, "bench");
        try {
            KvldsClient client = KvldsClient.connect(address, group, transport).get(CONNECT_TIMEOUT_SECONDS, TimeUnit.SECONDS);
            return new BenchConnection(group, client);
        } catch (ExecutionException e) {
            group.shutdownGracefully(0, 0, TimeUnit.SECONDS);
            Throwable cause = e.getCause();
            throw cause instanceof IOException ? (IOException) cause : new IOException(String.valueOf(cause.getMessage()), cause);
        } catch (TimeoutException e) {
            group.shutdownGracefully(0, 0, TimeUnit.SECONDS);
            throw new IOException("cannot connect to " + address.text() + ": timed out", e);
        } catch (InterruptedException e) {
            group.shutdownGracefully(0, 0, TimeUnit.SECONDS);
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while connecting to " + address.text(), e);
        }
    }

    public KvldsClient client() {
        return client;
    }

    /** The thread that runs every callback of this connection. */
    public EventLoop loop() {
        return group.next();
    }

    @Override
    public void close() {
        client.close();
        client.closeFuture().orTimeout(CONNECT_TIMEOUT_SECONDS, TimeUnit.SECONDS).exceptionally(e -> null).join();
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
    }
}
