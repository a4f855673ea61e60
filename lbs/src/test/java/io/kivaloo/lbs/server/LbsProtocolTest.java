package io.kivaloo.lbs.server;

import io.kivaloo.lbs.storage.BlockFileFormat;
import io.kivaloo.proto.client.LbsClient;
import io.kivaloo.proto.lbs.LbsCodec;
import io.kivaloo.proto.lbs.LbsRequest;
import io.kivaloo.proto.lbs.LbsResponse;
import io.kivaloo.proto.net.KivalooAddress;
import io.kivaloo.proto.wire.Frames;
import io.kivaloo.proto.wire.Packet;
import io.kivaloo.proto.wire.RawConnection;
import io.kivaloo.proto.wire.RecordWriter;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The LBS protocol (lbs.md §2-3) through a real server, over a Unix socket and over TCP. */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class LbsProtocolTest {

    private static final int BS = 512;
    private static final long DEADLINE_SECONDS = 60;

    @TempDir
    Path tmp;

    private final List<AutoCloseable> toClose = new ArrayList<>();

    @AfterEach
    void closeAll() throws Exception {
        for (int i = toClose.size() - 1; i >= 0; i--) {
            toClose.get(i).close();
        }
    }

    private KivalooAddress address(String kind) throws IOException {
        if (kind.equals("unix")) {
            return KivalooAddress.parse(tmp.resolve("lbs.sock").toString());
        }
        try (ServerSocket probe = new ServerSocket(0)) {
            return KivalooAddress.parse("[127.0.0.1]:" + probe.getLocalPort());
        }
    }

    private LbsServer startServer(KivalooAddress address, boolean single) throws Exception {
        Path dir = tmp.resolve("store");
        Files.createDirectories(dir);
        LbsServer server = LbsServer.start(new LbsConfig(address, dir, BS, 4, 0, true, single));
        toClose.add(server);
        return server;
    }

    private LbsClient connect(KivalooAddress address) throws Exception {
        LbsClient client = await(LbsClient.connect(address));
        toClose.add(client);
        return client;
    }

    private static <T> T await(CompletableFuture<T> future) throws Exception {
        return future.get(DEADLINE_SECONDS, TimeUnit.SECONDS);
    }

    private static byte[] blocks(long first, int count) {
        byte[] data = new byte[count * BS];
        for (int i = 0; i < count; i++) {
            byte[] block = new byte[BS];
            new Random(first + i).nextBytes(block);
            System.arraycopy(block, 0, data, i * BS, BS);
        }
        return data;
    }

    private static byte[] block(long b) {
        return blocks(b, 1);
    }

    @ParameterizedTest
    @ValueSource(strings = {"unix", "tcp"})
    void paramsOnAnEmptyStore(String kind) throws Exception {
        KivalooAddress address = address(kind);
        startServer(address, false);
        LbsClient client = connect(address);
        assertThat(await(client.params())).isEqualTo(new LbsResponse.Params(BS, 0));
        assertThat(await(client.params2())).isEqualTo(new LbsResponse.Params2(BS, 0, -1L));
    }

    @ParameterizedTest
    @ValueSource(strings = {"unix", "tcp"})
    void appendedBlocksAreReadBackAndParams2Follows(String kind) throws Exception {
        KivalooAddress address = address(kind);
        startServer(address, false);
        LbsClient client = connect(address);
        await(client.params2());
        assertThat(await(client.append(0, 3, blocks(0, 3)))).isEqualTo(new LbsResponse.Append(true, 3));
        assertThat(await(client.append(3, 1, blocks(3, 1)))).isEqualTo(new LbsResponse.Append(true, 4));
        for (long b = 0; b < 4; b++) {
            assertThat(await(client.get(b)).block()).isEqualTo(block(b));
        }
        assertThat(await(client.get(4)).present()).isFalse();
        assertThat(await(client.get(-1L)).present()).isFalse();
        assertThat(await(client.params2())).isEqualTo(new LbsResponse.Params2(BS, 4, 3));
        assertThat(await(client.params())).isEqualTo(new LbsResponse.Params(BS, 4));
    }

    @ParameterizedTest
    @ValueSource(strings = {"unix", "tcp"})
    void appendAtTheWrongBlockIsRefusedAndTheConnectionGoesOn(String kind) throws Exception {
        KivalooAddress address = address(kind);
        startServer(address, false);
        LbsClient client = connect(address);
        await(client.params());
        assertThat(await(client.append(-3L, 1, block(0)))).isEqualTo(LbsResponse.Append.REFUSED);
        assertThat(await(client.append(1, 1, block(0)))).isEqualTo(LbsResponse.Append.REFUSED);
        assertThat(await(client.append(0, 1, block(0)))).isEqualTo(new LbsResponse.Append(true, 1));
        assertThat(await(client.params())).isEqualTo(new LbsResponse.Params(BS, 1));
    }

    @Test
    void secondPipelinedAppendIsRefusedAndTheFirstSucceeds() throws Exception {
        KivalooAddress address = address("unix");
        startServer(address, false);
        LbsClient client = connect(address);
        await(client.params());
        CompletableFuture<LbsResponse.Append> first = client.append(0, 2, blocks(0, 2));
        CompletableFuture<LbsResponse.Append> second = client.append(2, 1, blocks(2, 1));
        assertThat(await(second)).isEqualTo(LbsResponse.Append.REFUSED);
        assertThat(await(first)).isEqualTo(new LbsResponse.Append(true, 2));
    }

    @ParameterizedTest
    @ValueSource(strings = {"unix", "tcp"})
    void manyPipelinedGetsAreAllAnswered(String kind) throws Exception {
        KivalooAddress address = address(kind);
        startServer(address, false);
        LbsClient client = connect(address);
        await(client.params());
        await(client.append(0, 64, blocks(0, 64)));
        List<CompletableFuture<LbsResponse.Get>> gets = new ArrayList<>();
        for (int i = 0; i < 3000; i++) {
            gets.add(client.get(i % 70));
        }
        for (int i = 0; i < gets.size(); i++) {
            LbsResponse.Get got = await(gets.get(i));
            long b = i % 70;
            if (b < 64) {
                assertThat(got.block()).as("block %d", b).isEqualTo(block(b));
            } else {
                assertThat(got.present()).isFalse();
            }
        }
    }

    @Test
    void freeIsAnsweredAtOnceAndNeverDropsBlocksAtOrAboveItsArgument() throws Exception {
        KivalooAddress address = address("unix");
        LbsServer server = startServer(address, false);
        LbsClient client = connect(address);
        await(client.params());
        for (long b = 0; b < 100; b++) {
            await(client.append(b, 1, block(b)));
        }
        int filesBefore = server.store().fileCount();
        await(client.free(60));
        await(client.free(10)); // lower and later: harmless
        for (long b = 60; b < 100; b++) {
            assertThat(await(client.get(b)).block()).isEqualTo(block(b));
        }
        for (long b = 0; b < 60; b++) {
            LbsResponse.Get got = await(client.get(b));
            if (got.present()) {
                assertThat(got.block()).isEqualTo(block(b));
            }
        }
        assertThat(server.store().fileCount()).isLessThanOrEqualTo(filesBefore);
    }

    @Test
    void theStoreOutlivesConnectionsAndTheServer() throws Exception {
        KivalooAddress address = address("unix");
        LbsServer server = startServer(address, false);
        LbsClient first = connect(address);
        await(first.params());
        await(first.append(0, 5, blocks(0, 5)));
        first.close();
        LbsClient second = connect(address);
        assertThat(await(second.params2())).isEqualTo(new LbsResponse.Params2(BS, 5, 4));
        second.close();
        await(second.closeFuture());
        server.close();
        LbsServer again = startServer(address, false);
        LbsClient third = connect(address);
        assertThat(await(third.params2())).isEqualTo(new LbsResponse.Params2(BS, 5, 4));
        assertThat(await(third.get(4)).block()).isEqualTo(block(4));
        again.close();
    }

    @Test
    void aSecondClientIsServedOnlyAfterTheFirstIsDone() throws Exception {
        KivalooAddress address = address("unix");
        startServer(address, false);
        LbsClient first = connect(address);
        await(first.params());
        LbsClient second = connect(address);
        CompletableFuture<LbsResponse.Params> waiting = second.params();
        // The first client appends after the second has asked: the answer proves who went first.
        await(first.append(0, 1, block(0)));
        first.close();
        assertThat(await(waiting)).isEqualTo(new LbsResponse.Params(BS, 1));
    }

    @Test
    void singleConnectionModeEndsAfterTheFirstConnection() throws Exception {
        KivalooAddress address = address("unix");
        LbsServer server = startServer(address, true);
        LbsClient client = connect(address);
        await(client.params());
        await(client.append(0, 1, block(0)));
        assertThat(server.done()).isNotDone();
        client.close();
        await(server.done());
    }

    // ---- malformed input: one WARN line, connection closed, the next client is served ----

    private void assertClosedThenNextClientServed(KivalooAddress address, Function<RawConnection, Void> misbehave)
            throws Exception {
        try (RawConnection raw = RawConnection.open(address)) {
            misbehave.apply(raw);
            raw.expectEndOfStream();
        }
        LbsClient next = connect(address);
        assertThat(await(next.params()).blockSize()).isEqualTo(BS);
        next.close();
        await(next.closeFuture());
    }

    private static Function<RawConnection, Void> sending(byte[] record) {
        return raw -> {
            try {
                raw.send(7, record);
            } catch (IOException e) {
                throw new AssertionError(e);
            }
            return null;
        };
    }

    private static Function<RawConnection, Void> sendingBytes(byte[] bytes) {
        return raw -> {
            try {
                raw.write(bytes);
            } catch (IOException e) {
                throw new AssertionError(e);
            }
            return null;
        };
    }

    @ParameterizedTest
    @ValueSource(strings = {"unix", "tcp"})
    void malformedRequestsCloseTheConnectionAndTheDaemonGoesOn(String kind) throws Exception {
        KivalooAddress address = address(kind);
        startServer(address, false);
        assertClosedThenNextClientServed(address, sending(new RecordWriter(4).u32(9).finish()));
        assertClosedThenNextClientServed(address, sending(new byte[] {0, 0, 0, 0, 0}));
        assertClosedThenNextClientServed(address, sending(new RecordWriter(8).u32(LbsRequest.GET).u32(0).finish()));
        assertClosedThenNextClientServed(address, sending(new RecordWriter(16).u32(LbsRequest.APPEND).u32(0).u64(0).finish()));
        assertClosedThenNextClientServed(address, sending(new byte[0]));
        assertClosedThenNextClientServed(address, sending(new byte[] {0, 0}));
    }

    @Test
    void appendWithAnotherBlockLengthClosesTheConnectionInsteadOfWedging() throws Exception {
        KivalooAddress address = address("unix");
        startServer(address, false);
        for (int length : new int[] {511, 1024}) {
            byte[] record = LbsCodec.encodeRequest(new LbsRequest.Append(1, 0, new byte[length]));
            assertClosedThenNextClientServed(address, sending(record));
        }
        LbsClient client = connect(address);
        assertThat(await(client.params()).nextBlock()).as("nothing was written").isZero();
    }

    @Test
    void badCrcsCloseTheConnection() throws Exception {
        KivalooAddress address = address("unix");
        startServer(address, false);
        byte[] good = Frames.packet(1, LbsCodec.encodeRequest(new LbsRequest.Params()));
        byte[] badHeader = good.clone();
        badHeader[12] ^= 1;
        assertClosedThenNextClientServed(address, sendingBytes(badHeader));
        byte[] badTrailer = good.clone();
        badTrailer[badTrailer.length - 1] ^= 1;
        assertClosedThenNextClientServed(address, sendingBytes(badTrailer));
        byte[] hugeLength = good.clone();
        ByteBuffer.wrap(hugeLength).putInt(8, Integer.MAX_VALUE); // header CRC now wrong as well
        assertClosedThenNextClientServed(address, sendingBytes(hugeLength));
    }

    @Test
    void paramsWhileAnAppendIsInProgressClosesTheConnectionAfterTheAppendFinishes() throws Exception {
        KivalooAddress address = address("unix");
        startServer(address, false);
        byte[] append = Frames.packet(1, LbsCodec.encodeRequest(new LbsRequest.Append(1, 0, block(0))));
        byte[] params = Frames.packet(2, LbsCodec.encodeRequest(new LbsRequest.Params2()));
        byte[] both = new byte[append.length + params.length];
        System.arraycopy(append, 0, both, 0, append.length);
        System.arraycopy(params, 0, both, append.length, params.length);
        try (RawConnection raw = RawConnection.open(address)) {
            raw.write(both); // one read on the server: PARAMS2 is parsed while the APPEND runs
            Packet answer = raw.receive();
            assertThat(answer).isNotNull();
            assertThat(answer.id()).as("only the APPEND is answered").isEqualTo(1);
            raw.expectEndOfStream();
        }
        LbsClient next = connect(address);
        assertThat(await(next.params2())).isEqualTo(new LbsResponse.Params2(BS, 1, 0));
    }

    @Test
    void getOfACorruptBlockFailsLoudlyAndOtherBlocksStayReadable() throws Exception {
        KivalooAddress address = address("unix");
        startServer(address, false);
        LbsClient client = connect(address);
        await(client.params());
        await(client.append(0, 10, blocks(0, 10)));
        Path file = tmp.resolve("store").resolve(BlockFileFormat.fileName(0));
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.WRITE)) {
            channel.write(ByteBuffer.wrap(new byte[] {1, 2, 3}), BlockFileFormat.slotOffset(BS, 4) + 100);
        }
        assertThat(await(client.get(3)).block()).isEqualTo(block(3));
        assertThatThrownBy(() -> await(client.get(4))).isInstanceOf(ExecutionException.class);
        await(client.closeFuture());
        LbsClient next = connect(address);
        await(next.params());
        assertThat(await(next.get(5)).block()).isEqualTo(block(5));
    }
}
