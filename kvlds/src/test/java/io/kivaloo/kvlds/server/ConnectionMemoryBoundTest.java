package io.kivaloo.kvlds.server;

import static io.kivaloo.kvlds.server.KvldsScenario.await;
import static org.assertj.core.api.Assertions.assertThat;

import io.kivaloo.proto.client.KvldsClient;
import io.kivaloo.proto.kvlds.Key;
import io.kivaloo.proto.kvlds.KvldsCodec;
import io.kivaloo.proto.kvlds.KvldsRequest;
import io.kivaloo.kvlds.cleaner.CleaningPolicy;
import io.kivaloo.proto.net.KivalooAddress;
import io.kivaloo.proto.wire.Frames;
import io.kivaloo.proto.wire.Packet;
import io.kivaloo.proto.wire.WireFormat;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A client that pipelines whole-store RANGEs and reads nothing is throttled:
 * what kvlds holds for it stays under {@link KvldsConnection#heldBound()}
 * however many RANGEs it sends, and once it reads, every one is answered
 * (issue 19, item 1). Before, kvlds read and ran all of them and queued
 * every 4 MiB answer: 32 of them held 128 MiB of direct memory, 4,096 would
 * hold 16 GiB.
 */
class ConnectionMemoryBoundTest {

    private static final int RANGES = 32;

    @TempDir
    Path dir;

    private final List<AutoCloseable> resources = new ArrayList<>();

    @AfterEach
    void closeAll() throws Exception {
        for (int i = resources.size() - 1; i >= 0; i--) {
            resources.get(i).close();
        }
    }

    @Test
    void aClientThatPipelinesWholeStoreRangesAndReadsNothingIsThrottledWithinTheBound() throws Exception {
        FakeLbs lbs = new FakeLbs(dir.resolve("lbs.sock"), 4096);
        resources.add(lbs);
        Path socket = dir.resolve("kvlds.sock");
        KvldsServer server = KvldsServer.start(new KvldsConfig(KivalooAddress.parse(socket.toString()), lbs.address(),
                1024L, null, null, null, CleaningPolicy.withStorageCost(1.0), 0, 0, false, false));
        resources.add(server);
        fill(socket, 30_000); // 2 + 8 + 255 bytes each: 7.6 MiB, two whole-store RANGE answers of 4 MiB

        try (SocketChannel raw = SocketChannel.open(StandardProtocolFamily.UNIX)) {
            raw.connect(UnixDomainSocketAddress.of(socket));
            ByteArrayOutputStream requests = new ByteArrayOutputStream();
            byte[] range = KvldsCodec.encodeRequest(new KvldsRequest.Range(0xffffffffL, Key.EMPTY, Key.EMPTY));
            for (int id = 0; id < RANGES; id++) {
                requests.write(Frames.encode(new Packet(id, range)));
            }
            ByteBuffer out = ByteBuffer.wrap(requests.toByteArray());
            while (out.hasRemaining()) {
                raw.write(out);
            }

            Memory settled = settled(server).get(KvldsScenario.DEADLINE_SECONDS, TimeUnit.SECONDS);
            assertThat(settled.peakHeldBytes).as("peak bytes held for the client (bound %s)", KvldsConnection.heldBound())
                    .isLessThanOrEqualTo(KvldsConnection.heldBound());
            assertThat(settled.deferred).as("RANGEs waiting until the client reads").isPositive();

            assertThat(readAnswers(raw, RANGES)).as("every RANGE answered once the client reads").isEqualTo(RANGES);
        }
    }

    private void fill(Path socket, int n) throws Exception {
        try (KvldsClient c = await(KvldsClient.connect(KivalooAddress.parse(socket.toString())))) {
            byte[] value = new byte[255];
            List<CompletableFuture<Void>> sets = new ArrayList<>(n);
            for (int i = 0; i < n; i++) {
                value[0] = (byte) i;
                sets.add(c.set(KvldsScenario.be64(i), Key.of(value)));
            }
            await(CompletableFuture.allOf(sets.toArray(new CompletableFuture[0])));
        }
    }

    private record Memory(long peakHeldBytes, int deferred) {
    }

    /**
     * Completes, on kvlds's loop, once the RANGE client has been read in full
     * and kvlds can do nothing more for it: nothing owed, and either nothing
     * waiting or its answers not taken. Checked after each turn of work.
     */
    private static CompletableFuture<Memory> settled(KvldsServer server) {
        CompletableFuture<Memory> result = new CompletableFuture<>();
        Runnable check = new Runnable() {
            @Override
            public void run() {
                for (KvldsConnection c : server.connections()) {
                    if (c.requestsRead() == RANGES && c.owed() == 0 && (c.deferredCount() == 0 || !c.isWritable())) {
                        result.complete(new Memory(c.peakHeldBytes(), c.deferredCount()));
                        return;
                    }
                }
                if (!result.isDone()) {
                    server.loop().schedule(this, 20, TimeUnit.MILLISECONDS);
                }
            }
        };
        server.loop().execute(check);
        return result;
    }

    /** Reads frames until {@code count} have arrived; returns how many did. */
    private static int readAnswers(SocketChannel raw, int count) throws IOException {
        ByteBuffer header = ByteBuffer.allocate(WireFormat.HEADER_LENGTH);
        int answers = 0;
        while (answers < count) {
            header.clear();
            readFully(raw, header);
            long length = header.getInt(WireFormat.LENGTH_OFFSET) & 0xffffffffL;
            readFully(raw, ByteBuffer.allocate((int) length + WireFormat.TRAILER_LENGTH));
            answers++;
        }
        return answers;
    }

    private static void readFully(SocketChannel raw, ByteBuffer buffer) throws IOException {
        while (buffer.hasRemaining()) {
            if (raw.read(buffer) < 0) {
                throw new IOException("kvlds closed the connection");
            }
        }
    }
}
