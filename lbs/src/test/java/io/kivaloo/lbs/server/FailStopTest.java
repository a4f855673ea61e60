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
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** An I/O error while appending stops the daemon with the first cause and acknowledges nothing more. */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class FailStopTest {

    private static final int BS = 512;

    @TempDir
    Path tmp;

    @Test
    void failedFsyncAcknowledgesNothingAndStopsTheDaemonWithItsCause() throws Exception {
        Path dir = Files.createDirectory(tmp.resolve("store"));
        KivalooAddress address = KivalooAddress.parse(tmp.resolve("lbs.sock").toString());
        FaultyDisk disk = new FaultyDisk(new NioDisk(dir), "No space left on device (injected)", true);
        LbsServer server = LbsServer.start(new LbsConfig(address, dir, BS, 2, 0, true, false), disk);
        try (LbsClient client = LbsClient.connect(address).get(60, TimeUnit.SECONDS)) {
            client.params().get(60, TimeUnit.SECONDS);
            assertThat(client.append(0, 1, new byte[BS]).get(60, TimeUnit.SECONDS))
                    .isEqualTo(new LbsResponse.Append(true, 1));
            disk.failSync = true;
            CompletableFuture<LbsResponse.Append> failed = client.append(1, 1, new byte[BS]);
            assertThatThrownBy(() -> failed.get(60, TimeUnit.SECONDS)).isInstanceOf(ExecutionException.class);
            assertThatThrownBy(() -> server.done().get(60, TimeUnit.SECONDS))
                    .isInstanceOf(ExecutionException.class)
                    .hasMessageContaining("block store stopped after an I/O error during APPEND at block 1")
                    .hasMessageContaining("No space left on device (injected)");
        } finally {
            server.close();
        }
    }
}
