package io.kivaloo.bench.perf;

import io.kivaloo.proto.client.StubServer;
import io.kivaloo.proto.net.KivalooAddress;
import io.kivaloo.proto.net.Transport;
import io.kivaloo.proto.wire.FrameDecoder;
import io.kivaloo.proto.wire.FrameEncoder;
import io.kivaloo.proto.wire.Packet;
import io.kivaloo.proto.wire.WireFormat;
import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * perf end to end: a raw client, perf, and a stub upstream that answers each
 * request with {@code 00 00 00 00 || request record} (or drops the connection
 * on request type 0xDEAD), all over Unix sockets.
 */
class PerfServiceTest {

    private static final long DEADLINE_SECONDS = 60;
    private static final int DIE = 0xDEAD;

    @TempDir
    Path dir;

    private final Transport transport = Transport.best();
    private EventLoopGroup group;
    private StubServer stub;
    private final BlockingQueue<Long> upstreamIds = new LinkedBlockingQueue<>();

    @BeforeEach
    void startStub() {
        group = transport.newEventLoopGroup(1, "perf-test");
        stub = StubServer.start(StubServer.Kind.UNIX, transport, group, dir, () -> new SimpleChannelInboundHandler<Packet>() {
            @Override
            protected void channelRead0(ChannelHandlerContext ctx, Packet p) {
                upstreamIds.add(p.id());
                if (RequestTypes.of(p.record()) == DIE) {
                    ctx.close();
                    return;
                }
                byte[] response = new byte[4 + p.record().length];
                System.arraycopy(p.record(), 0, response, 4, p.record().length);
                ctx.writeAndFlush(new Packet(p.id(), response));
            }
        });
    }

    @AfterEach
    void stopStub() {
        stub.close();
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
    }

    @Test
    void rewritesIdsAnswersUnderClientIdsAndLogsEveryTypeOnExitWithSingle() throws Exception {
        Path log = dir.resolve("perf.log");
        Files.writeString(log, "old line without newline");
        PerfService perf = PerfService.start(stub.address(), address("perf.sock"), log, 86400, true, Clock.systemUTC());
        try {
            BlockingQueue<Packet> responses = new LinkedBlockingQueue<>();
            Channel client = connect(address("perf.sock"), responses);
            byte[] get = {0, 0, 1, 0x30, 1, 'k'};
            byte[] set = {0, 0, 1, 0x10, 1, 'k', 1, 'v'};
            byte[] shortRecord = {1, 2};
            client.write(new Packet(12345, get));
            client.write(new Packet(12345, set));
            client.writeAndFlush(new Packet(0xFFFFFFFFFFFFFFFFL, shortRecord));

            Map<Integer, Long> idByRequestLength = new HashMap<>();
            for (int i = 0; i < 3; i++) {
                Packet response = responses.poll(DEADLINE_SECONDS, TimeUnit.SECONDS);
                assertThat(response).as("response %d", i).isNotNull();
                idByRequestLength.put(response.record().length - 4, response.id());
            }
            assertThat(idByRequestLength).containsEntry(get.length, 12345L).containsEntry(set.length, 12345L)
                    .containsEntry(shortRecord.length, 0xFFFFFFFFFFFFFFFFL);
            List<Long> seen = new ArrayList<>();
            upstreamIds.drainTo(seen);
            assertThat(seen).containsExactly(0L, 1L, 2L); // perf's own sequential upstream IDs

            client.close().syncUninterruptibly();
            perf.done().get(DEADLINE_SECONDS, TimeUnit.SECONDS); // -1: final line written, then done
        } finally {
            perf.close();
        }
        List<String> lines = Files.readAllLines(log);
        assertThat(lines.get(0)).isEqualTo("old line without newline");
        Map<String, Integer> counts = new HashMap<>();
        for (String line : lines.subList(1, lines.size())) {
            assertThat(line).matches("\\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\d(\\|[A-Z_0-9]+\\|\\d{6}(\\|\\d{4}\\.\\d{3}){4})*");
            String[] fields = line.substring(19).split("\\|");
            for (int i = 1; i + 5 < fields.length + 1; i += 6) {
                counts.merge(fields[i], Integer.parseInt(fields[i + 1]), Integer::sum);
            }
        }
        assertThat(counts).containsEntry("KVLDS_GET", 1).containsEntry("KVLDS_SET", 1).containsEntry("UNKNOWN", 1);
        String last = lines.get(lines.size() - 1);
        assertThat(last.indexOf("|KVLDS_SET|")).isLessThan(last.indexOf("|KVLDS_GET|"));
    }

    @Test
    void upstreamFailureSendsNoResponseAndEndsTheClientConnection() throws Exception {
        PerfService perf = PerfService.start(stub.address(), address("perf.sock"), dir.resolve("perf.log"), 60, false,
                Clock.systemUTC());
        try {
            BlockingQueue<Packet> responses = new LinkedBlockingQueue<>();
            Channel client = connect(address("perf.sock"), responses);
            client.writeAndFlush(new Packet(7, new byte[] {0, 0, (byte) 0xDE, (byte) 0xAD}));
            assertThat(client.closeFuture().await(DEADLINE_SECONDS, TimeUnit.SECONDS)).isTrue();
            assertThat(responses).isEmpty();

            // Without -1 perf keeps accepting; the next client's request fails at once and it is closed.
            Channel next = connect(address("perf.sock"), responses);
            next.writeAndFlush(new Packet(8, new byte[] {0, 0, 1, 0}));
            assertThat(next.closeFuture().await(DEADLINE_SECONDS, TimeUnit.SECONDS)).isTrue();
            assertThat(responses).isEmpty();
            assertThat(perf.done()).isNotDone();
        } finally {
            perf.close();
        }
    }

    private KivalooAddress address(String name) {
        return KivalooAddress.parse(dir.resolve(name).toString());
    }

    private Channel connect(KivalooAddress address, BlockingQueue<Packet> responses) {
        return new Bootstrap().group(group).channel(transport.channelClass(address))
                .handler(new ChannelInitializer<Channel>() {
                    @Override
                    protected void initChannel(Channel ch) {
                        ch.pipeline().addLast(new FrameDecoder(WireFormat.DEFAULT_MAX_RECORD_LENGTH), new FrameEncoder(),
                                new SimpleChannelInboundHandler<Packet>() {
                                    @Override
                                    protected void channelRead0(ChannelHandlerContext ctx, Packet p) {
                                        responses.add(p);
                                    }
                                });
                    }
                })
                .connect(transport.unixSocketAddress((KivalooAddress.Unix) address)).syncUninterruptibly().channel();
    }
}
