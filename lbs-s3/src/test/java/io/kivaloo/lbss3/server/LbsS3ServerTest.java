package io.kivaloo.lbss3.server;

import io.kivaloo.lbss3.s3.FaultyObjectStore;
import io.kivaloo.lbss3.s3.MemoryObjectStore;
import io.kivaloo.lbss3.s3.S3ObjectStore;
import io.kivaloo.lbss3.s3.S3ProxyBuckets;
import io.kivaloo.lbss3.s3.S3Settings;
import io.kivaloo.proto.client.KvldsClient;
import io.kivaloo.proto.client.LbsClient;
import io.kivaloo.proto.kvlds.Key;
import io.kivaloo.proto.lbs.LbsResponse;
import io.kivaloo.proto.lbs.server.CKvlds;
import io.kivaloo.proto.net.KivalooAddress;
import org.gaul.s3proxy.junit.S3ProxyExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The server in this JVM over a chosen object store: acknowledgement after the PUT, fail-stop, the C kvlds on top. */
@Timeout(value = 600, unit = TimeUnit.SECONDS)
class LbsS3ServerTest {

    private static final int BS = 512;
    private static final long TIMEOUT = 120;

    @RegisterExtension
    final S3ProxyExtension proxy = S3ProxyBuckets.proxy();

    @TempDir
    Path dir;

    private LbsS3Config config(String bucket) {
        return new LbsS3Config(KivalooAddress.parse(dir.resolve("lbs.sock").toString()), BS,
                S3Settings.of(bucket, null, "us-east-1", true), "", Duration.ofSeconds(1), false);
    }

    private LbsClient connect() throws Exception {
        return LbsClient.connect(KivalooAddress.parse(dir.resolve("lbs.sock").toString())).get(TIMEOUT, TimeUnit.SECONDS);
    }

    @Test
    void appendIsAnsweredOnlyOnceTheObjectStoreHasConfirmedThePut() throws Exception {
        FaultyObjectStore objects = new FaultyObjectStore(new MemoryObjectStore());
        try (LbsS3Server server = LbsS3Server.start(config("b"), objects); LbsClient client = connect()) {
            client.params().get(TIMEOUT, TimeUnit.SECONDS);
            objects.holdPut(key -> key.startsWith("blocks/"));
            CompletableFuture<LbsResponse.Append> append = client.append(0, 1, new byte[BS]);
            objects.awaitHeldPut();
            // The answer cannot exist yet: the writer is inside the PUT.
            assertThat(append).isNotDone();
            assertThat(server.store().nextBlock()).isZero();
            objects.releaseHeldPut();
            assertThat(append.get(TIMEOUT, TimeUnit.SECONDS)).isEqualTo(new LbsResponse.Append(true, 1));
        }
    }

    /**
     * Issue 19 item 7: an idle instance whose lease lapsed (a stall, a network
     * cut) while a newcomer claimed the next generation must not go on
     * answering GETs from its own, stale view: its next lease renewal finds
     * the claim and stops it, with no APPEND or FREE needed.
     */
    @Test
    void anIdleSupersededServerStopsAtItsNextLeaseRenewal() throws Exception {
        MemoryObjectStore bucket = new MemoryObjectStore();
        try (LbsS3Server server = LbsS3Server.start(config("b"), new FaultyObjectStore(bucket)); LbsClient client = connect()) {
            assertThat(client.append(0, 1, new byte[BS]).get(TIMEOUT, TimeUnit.SECONDS).accepted()).isTrue();
            long newcomer = server.store().generation() + 1;
            bucket.create(String.format("gen/%016x/claim", newcomer), new byte[] {1});
            assertThatThrownBy(() -> server.done().get(TIMEOUT, TimeUnit.SECONDS))
                    .hasMessageContaining("generation " + newcomer + " has been claimed");
            assertThat(server.health().serving()).isFalse();
            assertThatThrownBy(() -> server.store().read(0)).isInstanceOf(IOException.class)
                    .hasMessageContaining("has been claimed");
        }
    }

    @Test
    void failedPutClosesTheConnectionUnansweredAndStopsTheDaemon() throws Exception {
        FaultyObjectStore objects = new FaultyObjectStore(new MemoryObjectStore());
        try (LbsS3Server server = LbsS3Server.start(config("b"), objects); LbsClient client = connect()) {
            client.params().get(TIMEOUT, TimeUnit.SECONDS);
            assertThat(client.append(0, 1, new byte[BS]).get(TIMEOUT, TimeUnit.SECONDS).accepted()).isTrue();
            objects.failNth(FaultyObjectStore.Kind.PUT, 1);
            assertThatThrownBy(() -> client.append(1, 1, new byte[BS]).get(TIMEOUT, TimeUnit.SECONDS))
                    .isInstanceOf(ExecutionException.class);
            assertThatThrownBy(() -> server.done().get(TIMEOUT, TimeUnit.SECONDS))
                    .hasMessageContaining("during APPEND at block 1").hasMessageContaining("injected failure of PUT");
            assertThat(server.store().nextBlock()).isEqualTo(1);
        }
    }

    @Test
    void failedGetClosesTheConnectionButTheDaemonGoesOn() throws Exception {
        FaultyObjectStore objects = new FaultyObjectStore(new MemoryObjectStore());
        try (LbsS3Server server = LbsS3Server.start(config("b"), objects)) {
            try (LbsClient client = connect()) {
                client.params().get(TIMEOUT, TimeUnit.SECONDS);
                client.append(0, 1, new byte[BS]).get(TIMEOUT, TimeUnit.SECONDS);
                objects.failNth(FaultyObjectStore.Kind.GET, 1);
                assertThatThrownBy(() -> client.get(0).get(TIMEOUT, TimeUnit.SECONDS)).isInstanceOf(ExecutionException.class);
            }
            try (LbsClient again = connect()) {
                again.params().get(TIMEOUT, TimeUnit.SECONDS);
                assertThat(again.get(0).get(TIMEOUT, TimeUnit.SECONDS).present()).isTrue();
            }
            assertThat(server.done()).isNotDone();
        }
    }

    /** The original C kvlds on lbs-s3 over a real S3 API: it stores a tree, and a second kvlds loads it back. */
    @Test
    void cKvldsStoresAndReloadsItsTreeOnLbsS3() throws Exception {
        Path kvlds = CKvlds.binary();
        S3ProxyBuckets.createBucket(proxy, "ckvlds");
        KivalooAddress lbs = KivalooAddress.parse(dir.resolve("lbs.sock").toString());
        String kvldsSocket = dir.resolve("kvlds.sock").toString();
        LbsS3Config config = new LbsS3Config(lbs, 2048, S3ProxyBuckets.settings(proxy, "ckvlds"), "c/",
                Duration.ofSeconds(1), false);
        try (LbsS3Server server = LbsS3Server.start(config,
                S3ObjectStore.open(config.s3(), S3ProxyBuckets.credentials()))) {
            long pid = CKvlds.start(kvlds, kvldsSocket, lbs, dir.resolve("kvlds.pid"));
            try (KvldsClient client = KvldsClient.connect(KivalooAddress.parse(kvldsSocket)).get(TIMEOUT, TimeUnit.SECONDS)) {
                for (int i = 0; i < 200; i++) {
                    client.set(key("key" + i), key("value" + i));
                }
                client.set(key("hello"), key("world")).get(TIMEOUT, TimeUnit.SECONDS);
                assertThat(client.get(key("key17")).get(TIMEOUT, TimeUnit.SECONDS)).isEqualTo(key("value17"));
            }
            CKvlds.stop(pid);
            long again = CKvlds.start(kvlds, kvldsSocket, lbs, dir.resolve("kvlds.pid"));
            try (KvldsClient client = KvldsClient.connect(KivalooAddress.parse(kvldsSocket)).get(TIMEOUT, TimeUnit.SECONDS)) {
                assertThat(client.get(key("hello")).get(TIMEOUT, TimeUnit.SECONDS)).isEqualTo(key("world"));
                assertThat(client.get(key("key199")).get(TIMEOUT, TimeUnit.SECONDS)).isEqualTo(key("value199"));
                assertThat(client.get(key("absent")).get(TIMEOUT, TimeUnit.SECONDS)).isNull();
            }
            CKvlds.stop(again);
            assertThat(server.store().nextBlock()).as("kvlds wrote its pages here").isPositive();
        }
    }

    private static Key key(String s) {
        return Key.of(s.getBytes(StandardCharsets.US_ASCII));
    }
}
