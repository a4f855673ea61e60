package io.kivaloo.lbs.server;

import io.kivaloo.lbs.storage.NioDisk;
import io.kivaloo.lbs.storage.FaultyDisk;
import io.kivaloo.proto.client.LbsClient;
import io.kivaloo.proto.lbs.LbsResponse;
import io.kivaloo.proto.net.KivalooAddress;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** Durability: an APPEND is answered only once its data is synced. */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class AckOrderTest {

    private static final int BS = 512;

    @TempDir
    Path tmp;

    /**
     * The APPEND's sync is held; a GET sent after the sync began is answered
     * (reads do not wait for the writer), and answers on one connection
     * arrive in the order lbs wrote them, so an APPEND answered before its
     * sync would be done by the time the GET's answer is in.
     */
    @Test
    void anAppendIsAnsweredOnlyAfterItsFsync() throws Exception {
        Path dir = Files.createDirectory(tmp.resolve("store"));
        KivalooAddress address = KivalooAddress.parse(tmp.resolve("lbs.sock").toString());
        FaultyDisk disk = new FaultyDisk(new NioDisk(dir), "unused", false);
        LbsServer server = LbsServer.start(new LbsConfig(address, dir, BS, 2, 0, true, false), disk);
        try (LbsClient client = LbsClient.connect(address).get(60, TimeUnit.SECONDS)) {
            byte[] first = new byte[BS];
            Arrays.fill(first, (byte) 1);
            assertThat(client.append(0, 1, first).get(60, TimeUnit.SECONDS)).isEqualTo(new LbsResponse.Append(true, 1));
            disk.holdSyncs();
            CompletableFuture<LbsResponse.Append> append = client.append(1, 1, new byte[BS]);
            disk.awaitSyncHeld();
            LbsResponse.Get read = client.get(0).get(60, TimeUnit.SECONDS);
            assertThat(read.block()).isEqualTo(first);
            assertThat(append).as("the APPEND was answered before its data was synced").isNotDone();
            disk.releaseSyncs();
            assertThat(append.get(60, TimeUnit.SECONDS)).isEqualTo(new LbsResponse.Append(true, 2));
        } finally {
            server.close();
        }
    }
}
