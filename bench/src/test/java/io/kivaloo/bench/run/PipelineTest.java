package io.kivaloo.bench.run;

import io.kivaloo.bench.data.GeneratedPairInput;
import io.kivaloo.bench.data.PairGroups;
import io.kivaloo.bench.workload.BulkInsert;
import io.kivaloo.proto.client.StubServer;
import io.kivaloo.proto.kvlds.KvldsCodec;
import io.kivaloo.proto.kvlds.KvldsResponse;
import io.kivaloo.proto.net.Transport;
import io.kivaloo.proto.wire.Packet;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The request loop against a stub kvlds that answers every request with status 0 (or fails on demand). */
class PipelineTest {

    @TempDir
    Path dir;

    private final Transport transport = Transport.best();
    private EventLoopGroup group;
    private StubServer stub;
    private final List<byte[]> received = Collections.synchronizedList(new ArrayList<>());
    private volatile int failAfter = Integer.MAX_VALUE;

    @BeforeEach
    void startStub() {
        group = transport.newEventLoopGroup(1, "stub-kvlds");
        stub = StubServer.start(StubServer.Kind.UNIX, transport, group, dir, () -> new SimpleChannelInboundHandler<Packet>() {
            @Override
            protected void channelRead0(ChannelHandlerContext ctx, Packet p) {
                if (isParams(p.record())) {
                    // The client asks the limits before its first SET.
                    ctx.writeAndFlush(new Packet(p.id(), KvldsCodec.encodeResponse(new KvldsResponse.Params(255, 255))));
                    return;
                }
                received.add(p.record());
                if (received.size() > failAfter) {
                    ctx.close(); // the connection dies: outstanding requests fail
                    return;
                }
                ctx.writeAndFlush(new Packet(p.id(), new byte[4]));
            }
        });
    }

    private static boolean isParams(byte[] record) {
        return record.length == 4 && record[0] == 0 && record[1] == 0 && record[2] == 1 && record[3] == 0;
    }

    @AfterEach
    void stopStub() {
        stub.close();
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
    }

    @Test
    void bulkInsertSendsEveryPairInOrderAndEndsWhenAllAreAnswered() throws IOException {
        long count = 5000;
        try (BenchConnection connection = BenchConnection.open(stub.address())) {
            long done = BulkInsert.run(connection, new GeneratedPairInput(count), 16, line -> { });
            assertThat(done).isEqualTo(count);
        }
        assertThat(received).hasSize((int) count);
        byte[] pairs = new PairGroups(count).nextGroup();
        for (int i = 0; i < count; i += 997) {
            byte[] record = received.get(i);
            // SET record: type 0x110, then 40-byte key and 40-byte value, each with a length byte.
            assertThat(Arrays.copyOfRange(record, 0, 5)).containsExactly(0, 0, 1, 0x10, 40);
            assertThat(Arrays.copyOfRange(record, 5, 45)).isEqualTo(Arrays.copyOfRange(pairs, i * 80, i * 80 + 40));
        }
    }

    @Test
    void aFailedRequestFailsTheRun() {
        failAfter = 100;
        assertThatThrownBy(() -> {
            try (BenchConnection connection = BenchConnection.open(stub.address())) {
                BulkInsert.run(connection, new GeneratedPairInput(1000), 8, line -> { });
            }
        }).isInstanceOf(IOException.class);
    }
}
