package io.kivaloo.lbss3;

import io.kivaloo.proto.daemon.DaemonChild;
import io.kivaloo.lbss3.s3.S3ProxyBuckets;
import io.kivaloo.proto.client.LbsClient;
import io.kivaloo.proto.lbs.LbsResponse;
import io.kivaloo.proto.net.KivalooAddress;
import org.gaul.s3proxy.junit.S3ProxyExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The real daemon in a child JVM on a Unix socket, over S3Proxy in this JVM:
 * the LBS protocol (lbs.md §2) and the daemon conventions (wire.md §6).
 */
@Timeout(value = 600, unit = TimeUnit.SECONDS)
class LbsS3DaemonTest {

    private static final int BS = 1024;
    private static final long TIMEOUT = 120;

    @RegisterExtension
    final S3ProxyExtension proxy = S3ProxyBuckets.proxy();

    @TempDir
    Path dir;

    private List<String> options(String bucket, String... more) {
        return options(bucket, "lbs", BS, 2, more);
    }

    /** A daemon on {@code <name>.sock} with pid file {@code <name>.pid}. */
    private List<String> options(String bucket, String name, int blockSize, int leaseSeconds, String... more) {
        List<String> args = new ArrayList<>(List.of("-s", dir.resolve(name + ".sock").toString(), "-b",
                Integer.toString(blockSize), "-p", dir.resolve(name + ".pid").toString()));
        args.addAll(LbsS3Process.bucketOptions(proxy, bucket, leaseSeconds));
        args.addAll(List.of(more));
        return args;
    }

    private LbsClient connect() throws Exception {
        return LbsClient.connect(KivalooAddress.parse(dir.resolve("lbs.sock").toString())).get(TIMEOUT, TimeUnit.SECONDS);
    }

    private static byte[] blocks(int first, int count) {
        byte[] data = new byte[count * BS];
        for (int i = 0; i < data.length; i++) {
            data[i] = (byte) (first * 7 + i / BS * 13 + i);
        }
        return data;
    }

    @Test
    void paramsAppendGetFreeAndPersistenceAcrossRestarts() throws Exception {
        S3ProxyBuckets.createBucket(proxy, "protocol");
        try (DaemonChild daemon = LbsS3Process.start(options("protocol"))) {
            assertThat(Files.readString(dir.resolve("lbs.pid"))).matches("[0-9]+");
            try (LbsClient client = connect()) {
                assertThat(client.params().get(TIMEOUT, TimeUnit.SECONDS)).isEqualTo(new LbsResponse.Params(BS, 0));
                assertThat(client.params2().get(TIMEOUT, TimeUnit.SECONDS))
                        .as("empty store: lastBlock 2^64-1").isEqualTo(new LbsResponse.Params2(BS, 0, -1L));
                assertThat(client.get(0).get(TIMEOUT, TimeUnit.SECONDS).present()).isFalse();
                assertThat(client.append(0, 3, blocks(0, 3)).get(TIMEOUT, TimeUnit.SECONDS))
                        .isEqualTo(new LbsResponse.Append(true, 3));
                assertThat(client.append(7, 1, blocks(7, 1)).get(TIMEOUT, TimeUnit.SECONDS))
                        .as("wrong start block").isEqualTo(LbsResponse.Append.REFUSED);
                assertThat(client.append(3, 2, blocks(3, 2)).get(TIMEOUT, TimeUnit.SECONDS).nextBlock()).isEqualTo(5);
                assertThat(client.get(4).get(TIMEOUT, TimeUnit.SECONDS).block())
                        .isEqualTo(Arrays.copyOfRange(blocks(3, 2), BS, 2 * BS));
                // Many GETs in flight at once, answered in any order.
                List<CompletableFuture<LbsResponse.Get>> gets = new ArrayList<>();
                for (int i = 0; i < 300; i++) {
                    gets.add(client.get(i % 6));
                }
                for (int i = 0; i < gets.size(); i++) {
                    assertThat(gets.get(i).get(TIMEOUT, TimeUnit.SECONDS).present()).isEqualTo(i % 6 < 5);
                }
                client.free(3).get(TIMEOUT, TimeUnit.SECONDS);
                assertThat(client.params2().get(TIMEOUT, TimeUnit.SECONDS)).isEqualTo(new LbsResponse.Params2(BS, 5, 4));
            }
            assertThat(daemon.terminate()).isZero();
        }
        assertThat(dir.resolve("lbs.pid")).doesNotExist();
        try (DaemonChild restarted = LbsS3Process.start(options("protocol")); LbsClient client = connect()) {
            assertThat(client.params2().get(TIMEOUT, TimeUnit.SECONDS)).isEqualTo(new LbsResponse.Params2(BS, 5, 4));
            assertThat(client.get(3).get(TIMEOUT, TimeUnit.SECONDS).block()).isEqualTo(Arrays.copyOf(blocks(3, 2), BS));
            assertThat(client.append(5, 1, blocks(5, 1)).get(TIMEOUT, TimeUnit.SECONDS).nextBlock()).isEqualTo(6);
        }
    }

    @Test
    void killNineWhileAppendingLosesNoAcknowledgedBlock() throws Exception {
        S3ProxyBuckets.createBucket(proxy, "kill");
        List<Integer> ackedEnds = new ArrayList<>();
        try (DaemonChild daemon = LbsS3Process.start(options("kill")); LbsClient client = connect()) {
            int next = 0;
            for (int i = 0; i < 20; i++) {
                next = (int) client.append(next, 2, blocks(next, 2)).get(TIMEOUT, TimeUnit.SECONDS).nextBlock();
                ackedEnds.add(next);
            }
            client.append(next, 4, blocks(next, 4)); // in flight at the kill
            daemon.kill9();
        }
        int acked = ackedEnds.get(ackedEnds.size() - 1);
        try (DaemonChild restarted = LbsS3Process.start(options("kill")); LbsClient client = connect()) {
            long next = client.params().get(TIMEOUT, TimeUnit.SECONDS).nextBlock();
            assertThat(next).as("acknowledged, or the in-flight APPEND whole").isIn((long) acked, (long) acked + 4);
            for (int b = 0; b < acked; b += 2) {
                assertThat(client.get(b + 1).get(TIMEOUT, TimeUnit.SECONDS).block())
                        .isEqualTo(Arrays.copyOfRange(blocks(b, 2), BS, 2 * BS));
            }
            assertThat(restarted.output()).contains("lease objects found");
        }
    }

    @Test
    void secondDaemonOnTheSameBucketAndPrefixIsRefusedWithOneLine() throws Exception {
        S3ProxyBuckets.createBucket(proxy, "twice");
        try (DaemonChild first = LbsS3Process.start(options("twice", "lbs", BS, 8))) {
            List<String> second = options("twice", "other", BS, 8);
            DaemonChild.Finished refused = LbsS3Process.run(second);
            assertThat(refused.status()).isEqualTo(1);
            assertThat(refused.output().trim()).startsWith("lbs-s3: cannot open the store: ")
                    .contains("is in use by another lbs-s3").doesNotContain("\n");
            // Another prefix is another store.
            List<String> elsewhere = new ArrayList<>(second);
            elsewhere.addAll(List.of("--prefix", "other"));
            try (DaemonChild other = LbsS3Process.start(elsewhere)) {
                assertThat(other.terminate()).isZero();
            }
            assertThat(first.terminate()).isZero();
        }
    }

    @Test
    void initRecordsTheBlockSizeAndAnotherBlockSizeIsRefused() throws Exception {
        S3ProxyBuckets.createBucket(proxy, "init");
        List<String> init = new ArrayList<>(List.of("init", "-b", "2048"));
        init.addAll(List.of("-B", "init", "-E", proxy.getUri().toString(), "--path-style"));
        DaemonChild.Finished done = LbsS3Process.run(init);
        assertThat(done.status()).as(done.output()).isZero();
        assertThat(done.output()).contains("storeId=").contains("blockSize=2048");
        assertThat(LbsS3Process.run(init).status()).as("init again: same parameters").isZero();

        DaemonChild.Finished refused = LbsS3Process.run(options("init"));
        assertThat(refused.status()).isEqualTo(1);
        assertThat(refused.output().trim()).isEqualTo("lbs-s3: cannot open the store: store bucket=init endpoint="
                + proxy.getUri() + " prefix='' was initialised with block size 2048, not 1024; restart with -b 2048");
    }

    @Test
    void unreachableEndpointIsAClearStartUpErrorNotAHang() throws Exception {
        int port;
        try (ServerSocket socket = new ServerSocket()) {
            socket.bind(new InetSocketAddress("127.0.0.1", 0));
            port = socket.getLocalPort();
        }
        List<String> args = new ArrayList<>(options("nowhere"));
        args.set(args.indexOf(proxy.getUri().toString()), "http://127.0.0.1:" + port);
        DaemonChild.Finished failed = LbsS3Process.run(args);
        assertThat(failed.status()).isEqualTo(1);
        assertThat(failed.output().trim()).startsWith("lbs-s3: cannot open the store: S3 GET failed")
                .contains("127.0.0.1:" + port).doesNotContain("\n");
    }

    @Test
    void missingBucketIsAClearStartUpError() throws Exception {
        DaemonChild.Finished failed = LbsS3Process.run(options("absent-bucket"));
        assertThat(failed.status()).isEqualTo(1);
        assertThat(failed.output().trim()).startsWith("lbs-s3: cannot open the store: S3 GET failed bucket=absent-bucket")
                .contains("The specified bucket does not exist").doesNotContain("\n");
    }

    @Test
    void usageErrorsExitTwo() throws Exception {
        DaemonChild.Finished missing = LbsS3Process.run(List.of("-s", dir.resolve("x.sock").toString(), "-b", "1024"));
        assertThat(missing.status()).isEqualTo(2);
        assertThat(missing.output()).startsWith("lbs-s3: Missing required options: -B <bucket>");
        DaemonChild.Finished illegal = LbsS3Process.run(List.of("--badarg"));
        assertThat(illegal.status()).isEqualTo(2);
        assertThat(illegal.output()).startsWith("lbs-s3: illegal option -- --badarg");
        DaemonChild.Finished blockSize = LbsS3Process.run(options("b", "lbs", 100, 2));
        assertThat(blockSize.status()).isEqualTo(1);
        assertThat(blockSize.output().trim()).isEqualTo("lbs-s3: Block size must be in [512, 131072]");
    }
}
