package io.kivaloo.proto.client;

import io.kivaloo.proto.client.StubServer.Kind;
import io.kivaloo.proto.lbs.LbsCodec;
import io.kivaloo.proto.lbs.LbsRequest;
import io.kivaloo.proto.lbs.LbsResponse;
import io.kivaloo.proto.net.Transport;
import io.kivaloo.proto.wire.Packet;
import io.kivaloo.proto.wire.ProtocolException;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** {@link LbsClient} against a fake block store with 4-byte blocks 0..9; block 7 is served short. */
class LbsClientTest {

    private static final Duration DEADLINE = Duration.ofSeconds(60);
    private static final int BLOCK_SIZE = 4;

    @TempDir
    Path dir;

    private final Transport transport = Transport.best();
    private EventLoopGroup group;
    private StubServer server;
    private LbsClient client;

    @BeforeEach
    void start() {
        group = transport.newEventLoopGroup(1, "lbs-client-test");
        server = StubServer.start(Kind.UNIX, transport, group, dir, FakeStore::new);
        client = LbsClient.connect(server.address(), group, transport).join();
    }

    @AfterEach
    void stop() {
        client.close();
        server.close();
        group.shutdownGracefully(0, 10, TimeUnit.SECONDS).syncUninterruptibly();
    }

    @Test
    void params2ThenBlocksOfTheLearnedSize() {
        assertThat(client.params2()).succeedsWithin(DEADLINE).isEqualTo(new LbsResponse.Params2(BLOCK_SIZE, 10, 9));
        assertThat(client.get(3)).succeedsWithin(DEADLINE)
                .satisfies(g -> assertThat(g.block()).containsExactly(3, 3, 3, 3));
        assertThat(client.get(10)).succeedsWithin(DEADLINE).isSameAs(LbsResponse.Get.ABSENT);
        assertThat(client.get(-1)).succeedsWithin(DEADLINE).isSameAs(LbsResponse.Get.ABSENT);
    }

    @Test
    void aBlockOfTheWrongSizeFailsTheConnectionOnceTheSizeIsKnown() {
        assertThat(client.params()).succeedsWithin(DEADLINE).isEqualTo(new LbsResponse.Params(BLOCK_SIZE, 10));
        assertThat(client.get(7)).failsWithin(DEADLINE).withThrowableOfType(ExecutionException.class)
                .withCauseInstanceOf(ProtocolException.class).withMessageContaining("block of 3 bytes (expected: 4)");
        assertThat(client.closeFuture()).succeedsWithin(DEADLINE);
    }

    @Test
    void beforeTheSizeIsKnownAnyBlockLengthIsTaken() {
        assertThat(client.get(7)).succeedsWithin(DEADLINE).satisfies(g -> assertThat(g.block()).hasSize(3));
    }

    @Test
    void appendAndFree() {
        assertThat(client.append(10, 2, new byte[2 * BLOCK_SIZE])).succeedsWithin(DEADLINE)
                .isEqualTo(new LbsResponse.Append(true, 12));
        assertThat(client.append(5, 1, new byte[BLOCK_SIZE])).succeedsWithin(DEADLINE)
                .isEqualTo(LbsResponse.Append.REFUSED);
        assertThat(client.free(3)).succeedsWithin(DEADLINE);
    }

    /** Blocks 0..9 hold their number in every byte; APPEND accepts only at block 10. */
    static final class FakeStore extends SimpleChannelInboundHandler<Packet> {
        @Override
        protected void channelRead0(ChannelHandlerContext ctx, Packet packet) throws ProtocolException {
            LbsRequest request = LbsCodec.decodeRequest(packet.record());
            LbsResponse response;
            switch (request.type()) {
                case LbsRequest.PARAMS:
                    response = new LbsResponse.Params(BLOCK_SIZE, 10);
                    break;
                case LbsRequest.PARAMS2:
                    response = LbsResponse.Params2.of(BLOCK_SIZE, 10);
                    break;
                case LbsRequest.GET: {
                    long block = ((LbsRequest.Get) request).block();
                    if (Long.compareUnsigned(block, 10) >= 0) {
                        response = LbsResponse.Get.ABSENT;
                    } else {
                        byte[] data = new byte[block == 7 ? BLOCK_SIZE - 1 : BLOCK_SIZE];
                        java.util.Arrays.fill(data, (byte) block);
                        response = new LbsResponse.Get(data);
                    }
                    break;
                }
                case LbsRequest.APPEND: {
                    LbsRequest.Append append = (LbsRequest.Append) request;
                    response = append.block() == 10 ? new LbsResponse.Append(true, 10 + append.count()) : LbsResponse.Append.REFUSED;
                    break;
                }
                default:
                    response = LbsResponse.Free.OK;
            }
            ctx.writeAndFlush(new Packet(packet.id(), LbsCodec.encodeResponse(response)));
        }
    }
}
