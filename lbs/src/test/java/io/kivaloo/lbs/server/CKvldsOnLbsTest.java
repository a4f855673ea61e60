package io.kivaloo.lbs.server;

import io.kivaloo.proto.client.KvldsClient;
import io.kivaloo.proto.kvlds.Key;
import io.kivaloo.proto.lbs.server.CKvlds;
import io.kivaloo.proto.net.KivalooAddress;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Compatibility: the original C kvlds runs unchanged on this lbs (issue 4).
 * Needs the C binaries: {@code ../shared/c-kivaloo/bin/kivaloo-kvlds}, or the
 * path in the system property {@code kivaloo.c.kvlds}; skipped without them.
 */
@Timeout(value = 300, unit = TimeUnit.SECONDS)
class CKvldsOnLbsTest {

    @TempDir
    Path tmp;

    @Test
    void cKvldsStoresAndReloadsItsTreeOnThisLbs() throws Exception {
        Path kvlds = CKvlds.binary();
        Path dir = Files.createDirectory(tmp.resolve("store"));
        KivalooAddress lbsAddress = KivalooAddress.parse(tmp.resolve("lbs.sock").toString());
        String kvldsSocket = tmp.resolve("kvlds.sock").toString();
        try (LbsServer lbs = LbsServer.start(new LbsConfig(lbsAddress, dir, 2048, 4, 0, true, false))) {
            long pid = CKvlds.start(kvlds, kvldsSocket, lbsAddress, tmp.resolve("kvlds.pid"));
            try (KvldsClient client = KvldsClient.connect(KivalooAddress.parse(kvldsSocket)).get(60, TimeUnit.SECONDS)) {
                for (int i = 0; i < 200; i++) {
                    client.set(key("key" + i), key("value" + i));
                }
                client.set(key("hello"), key("world")).get(60, TimeUnit.SECONDS);
                assertThat(client.get(key("hello")).get(60, TimeUnit.SECONDS)).isEqualTo(key("world"));
                assertThat(client.get(key("key17")).get(60, TimeUnit.SECONDS)).isEqualTo(key("value17"));
            }
            CKvlds.stop(pid);
            // A second kvlds loads the tree back from the blocks the first one appended.
            long again = CKvlds.start(kvlds, kvldsSocket, lbsAddress, tmp.resolve("kvlds.pid"));
            try (KvldsClient client = KvldsClient.connect(KivalooAddress.parse(kvldsSocket)).get(60, TimeUnit.SECONDS)) {
                assertThat(client.get(key("hello")).get(60, TimeUnit.SECONDS)).isEqualTo(key("world"));
                assertThat(client.get(key("key199")).get(60, TimeUnit.SECONDS)).isEqualTo(key("value199"));
                assertThat(client.get(key("absent")).get(60, TimeUnit.SECONDS)).isNull();
            }
            CKvlds.stop(again);
            assertThat(lbs.store().nextBlock()).as("kvlds wrote its pages here").isPositive();
        }
    }

    private static Key key(String s) {
        return Key.of(s.getBytes(StandardCharsets.US_ASCII));
    }
}
