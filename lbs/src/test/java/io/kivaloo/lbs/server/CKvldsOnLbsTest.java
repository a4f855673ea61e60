package io.kivaloo.lbs.server;

import io.kivaloo.proto.client.KvldsClient;
import io.kivaloo.proto.kvlds.Key;
import io.kivaloo.proto.net.KivalooAddress;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Compatibility: the original C kvlds runs unchanged on this lbs (issue 4).
 * Needs the C binaries: {@code ../shared/c-kivaloo/bin/kivaloo-kvlds}, or the
 * path in the system property {@code kivaloo.c.kvlds}; skipped without them.
 */
@Timeout(value = 300, unit = TimeUnit.SECONDS)
class CKvldsOnLbsTest {

    private static final String PROPERTY = "kivaloo.c.kvlds";

    @TempDir
    Path tmp;

    private static Path cKvlds() {
        String configured = System.getProperty(PROPERTY);
        Path path = configured != null ? Path.of(configured)
                : Path.of("..", "..", "shared", "c-kivaloo", "bin", "kivaloo-kvlds").toAbsolutePath().normalize();
        if (!Files.isExecutable(path)) {
            // Maven runs tests in the module directory; also try from the repository root.
            path = Path.of("..", "shared", "c-kivaloo", "bin", "kivaloo-kvlds").toAbsolutePath().normalize();
        }
        Assumptions.assumeTrue(Files.isExecutable(path),
                "C kvlds not found (looked for ../../shared/c-kivaloo/bin/kivaloo-kvlds; set -D" + PROPERTY
                        + "=<path> to point elsewhere): skipping the C-kvlds-on-Java-lbs test");
        return path;
    }

    @Test
    void cKvldsStoresAndReloadsItsTreeOnThisLbs() throws Exception {
        Path kvlds = cKvlds();
        Path dir = Files.createDirectory(tmp.resolve("store"));
        KivalooAddress lbsAddress = KivalooAddress.parse(tmp.resolve("lbs.sock").toString());
        String kvldsSocket = tmp.resolve("kvlds.sock").toString();
        try (LbsServer lbs = LbsServer.start(new LbsConfig(lbsAddress, dir, 2048, 4, 0, true, false))) {
            long pid = startCKvlds(kvlds, kvldsSocket, lbsAddress);
            try (KvldsClient client = KvldsClient.connect(KivalooAddress.parse(kvldsSocket)).get(60, TimeUnit.SECONDS)) {
                for (int i = 0; i < 200; i++) {
                    client.set(key("key" + i), key("value" + i));
                }
                client.set(key("hello"), key("world")).get(60, TimeUnit.SECONDS);
                assertThat(client.get(key("hello")).get(60, TimeUnit.SECONDS)).isEqualTo(key("world"));
                assertThat(client.get(key("key17")).get(60, TimeUnit.SECONDS)).isEqualTo(key("value17"));
            }
            stop(pid);
            Files.deleteIfExists(Path.of(kvldsSocket));
            // A second kvlds loads the tree back from the blocks the first one appended.
            long again = startCKvlds(kvlds, kvldsSocket, lbsAddress);
            try (KvldsClient client = KvldsClient.connect(KivalooAddress.parse(kvldsSocket)).get(60, TimeUnit.SECONDS)) {
                assertThat(client.get(key("hello")).get(60, TimeUnit.SECONDS)).isEqualTo(key("world"));
                assertThat(client.get(key("key199")).get(60, TimeUnit.SECONDS)).isEqualTo(key("value199"));
                assertThat(client.get(key("absent")).get(60, TimeUnit.SECONDS)).isNull();
            }
            stop(again);
            assertThat(lbs.store().nextBlock()).as("kvlds wrote its pages here").isPositive();
        }
    }

    private static Key key(String s) {
        return Key.of(s.getBytes(StandardCharsets.US_ASCII));
    }

    /** The C kvlds detaches once it is ready; its launcher process exits 0 then. Returns the daemon's pid. */
    private long startCKvlds(Path kvlds, String socket, KivalooAddress lbs) throws Exception {
        Path pidFile = tmp.resolve("kvlds.pid");
        Files.deleteIfExists(pidFile);
        Process launcher = new ProcessBuilder(kvlds.toString(), "-s", socket, "-l", lbs.text(), "-p", pidFile.toString())
                .redirectErrorStream(true).start();
        assertThat(launcher.waitFor(60, TimeUnit.SECONDS)).as("C kvlds started").isTrue();
        String output = new String(launcher.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(launcher.exitValue()).as("C kvlds exit status; output: %s", output).isZero();
        return Long.parseLong(Files.readString(pidFile).trim());
    }

    private static void stop(long pid) throws Exception {
        Optional<ProcessHandle> handle = ProcessHandle.of(pid);
        if (handle.isPresent()) {
            handle.get().destroy();
            handle.get().onExit().get(60, TimeUnit.SECONDS);
        }
    }
}
