package io.kivaloo.lbs;

import io.kivaloo.proto.daemon.DaemonChild;
import io.kivaloo.proto.client.LbsClient;
import io.kivaloo.proto.lbs.LbsResponse;
import io.kivaloo.proto.net.KivalooAddress;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** The command line and the daemon's life cycle, in a child JVM (wire.md §6, lbs.md §7). */
@Timeout(value = 300, unit = TimeUnit.SECONDS)
class LbsMainTest {

    @TempDir
    Path tmp;

    @Test
    void servesUntilSigtermThenRemovesPidFileAndSocket() throws Exception {
        Path dir = Files.createDirectory(tmp.resolve("store"));
        Path socket = tmp.resolve("lbs.sock");
        Path pidFile = tmp.resolve("lbs.pid");
        try (DaemonChild lbs = LbsProcess.start("-s", socket.toString(), "-d", dir.toString(), "-b", "0x3e8",
                "-n", "03", "-p", pidFile.toString())) {
            assertThat(Files.readString(pidFile)).isEqualTo(Long.toString(lbs.pid()));
            try (LbsClient client = LbsClient.connect(KivalooAddress.parse(socket.toString())).get(60, TimeUnit.SECONDS)) {
                assertThat(client.params2().get(60, TimeUnit.SECONDS)).isEqualTo(new LbsResponse.Params2(1000, 0, -1L));
                assertThat(client.append(0, 1, new byte[1000]).get(60, TimeUnit.SECONDS).nextBlock()).isEqualTo(1);
            }
            assertThat(lbs.terminate()).isZero();
            assertThat(pidFile).doesNotExist();
            assertThat(socket).doesNotExist();
        }
    }

    @Test
    void singleConnectionModeExitsZeroAfterTheFirstClient() throws Exception {
        Path dir = Files.createDirectory(tmp.resolve("store"));
        Path socket = tmp.resolve("lbs.sock");
        try (DaemonChild lbs = LbsProcess.start("-s", socket.toString(), "-d", dir.toString(), "-b", "512", "-1", "-L")) {
            try (LbsClient client = LbsClient.connect(KivalooAddress.parse(socket.toString())).get(60, TimeUnit.SECONDS)) {
                client.params().get(60, TimeUnit.SECONDS);
            }
            assertThat(lbs.awaitExit()).isZero();
        }
    }

    @Test
    void startUpErrorsAreOneLineAndStatusOne() throws Exception {
        Path dir = Files.createDirectory(tmp.resolve("store"));
        String socket = tmp.resolve("lbs.sock").toString();

        DaemonChild.Finished badSize = LbsProcess.run("-s", socket, "-d", dir.toString(), "-b", "511", "-F");
        assertThat(badSize.status()).isEqualTo(1);
        assertThat(badSize.output()).contains("lbs: Block size must be in [512, 131072]");

        DaemonChild.Finished badReaders = LbsProcess.run("-s", socket, "-d", dir.toString(), "-b", "512", "-n", "0", "-F");
        assertThat(badReaders.status()).isEqualTo(1);
        assertThat(badReaders.output()).contains("lbs: Number of readers must be in [1, 1000]");

        DaemonChild.Finished noDir = LbsProcess.run("-s", socket, "-d", tmp.resolve("missing").toString(), "-b", "512", "-F");
        assertThat(noDir.status()).isEqualTo(1);
        assertThat(noDir.output()).contains("lbs: Error initializing storage directory");
    }

    @Test
    void restartWithAnotherBlockSizeIsRefused() throws Exception {
        Path dir = Files.createDirectory(tmp.resolve("store"));
        String socket = tmp.resolve("lbs.sock").toString();
        try (DaemonChild lbs = LbsProcess.start("-s", socket, "-d", dir.toString(), "-b", "512", "-L")) {
            try (LbsClient client = LbsClient.connect(KivalooAddress.parse(socket)).get(60, TimeUnit.SECONDS)) {
                client.params().get(60, TimeUnit.SECONDS);
                client.append(0, 1, new byte[512]).get(60, TimeUnit.SECONDS);
            }
            assertThat(lbs.terminate()).isZero();
        }
        DaemonChild.Finished wrong = LbsProcess.run("-s", socket, "-d", dir.toString(), "-b", "1024", "-F");
        assertThat(wrong.status()).isEqualTo(1);
        assertThat(wrong.output()).contains("written with block size 512, not 1024; restart with -b 512");
    }

    @Test
    void unknownOptionIsAUsageError() throws Exception {
        DaemonChild.Finished result = LbsProcess.run("--badarg");
        assertThat(result.status()).isNotZero();
        assertThat(result.output().lines().findFirst()).hasValue("lbs: illegal option -- --badarg");
        DaemonChild.Finished missing = LbsProcess.run("-b", "512");
        assertThat(missing.status()).isEqualTo(2);
        assertThat(missing.output()).contains("lbs: Missing required options: -s <address>, -d <dir>");
    }
}
