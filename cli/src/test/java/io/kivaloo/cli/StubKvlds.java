package io.kivaloo.cli;

import io.kivaloo.proto.client.StubServer;
import io.kivaloo.proto.kvlds.KvldsCodec;
import io.kivaloo.proto.kvlds.KvldsRequest;
import io.kivaloo.proto.kvlds.KvldsResponse;
import io.kivaloo.proto.net.Transport;
import io.kivaloo.proto.wire.Packet;
import io.kivaloo.proto.wire.ProtocolException;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;

/**
 * A KVLDS server whose answers a test scripts: each request is decoded,
 * recorded, and answered with what {@code script} returns (null closes the
 * connection, as a kvlds does after a request it refuses; {@link #NO_ANSWER}
 * leaves the request unanswered). PARAMS is always answered with the given
 * limits, whoever asks (the CLI or the client library itself), so scripts
 * only handle the requests under test. On a Unix socket in the test's
 * directory, through proto's {@link StubServer}.
 */
final class StubKvlds implements AutoCloseable {

    /** What a script returns to leave a request unanswered (compared by identity). */
    static final KvldsResponse NO_ANSWER = new KvldsResponse.Params(0, 0);

    private final EventLoopGroup group;
    private final StubServer server;
    private final List<KvldsRequest> requests = new CopyOnWriteArrayList<>();
    private final AtomicInteger connectionsAccepted = new AtomicInteger();

    StubKvlds(Path directory, KvldsResponse.Params limits, Function<KvldsRequest, KvldsResponse> script) {
        Transport transport = Transport.best();
        this.group = transport.newEventLoopGroup(1, "stub-kvlds");
        this.server = StubServer.start(StubServer.Kind.UNIX, transport, group, directory, () -> {
            connectionsAccepted.incrementAndGet();
            return new Answerer(request -> request instanceof KvldsRequest.Params ? limits : script.apply(request));
        });
    }

    String address() {
        return server.address().text();
    }

    /** Every request received so far, in order. */
    List<KvldsRequest> requests() {
        return List.copyOf(requests);
    }

    /** Connections accepted so far, open or closed. */
    int connectionsAccepted() {
        return connectionsAccepted.get();
    }

    @Override
    public void close() {
        server.close();
        group.shutdownGracefully(0, 0, TimeUnit.SECONDS).syncUninterruptibly();
    }

    private final class Answerer extends SimpleChannelInboundHandler<Packet> {

        private final Function<KvldsRequest, KvldsResponse> script;

        Answerer(Function<KvldsRequest, KvldsResponse> script) {
            this.script = script;
        }

        @Override
        protected void channelRead0(ChannelHandlerContext ctx, Packet packet) throws ProtocolException {
            KvldsRequest request = KvldsCodec.decodeRequest(packet.record());
            requests.add(request);
            KvldsResponse answer = script.apply(request);
            if (answer == null) {
                ctx.close();
            } else if (answer != NO_ANSWER) {
                ctx.writeAndFlush(new Packet(packet.id(), KvldsCodec.encodeResponse(answer)));
            }
        }
    }
}
