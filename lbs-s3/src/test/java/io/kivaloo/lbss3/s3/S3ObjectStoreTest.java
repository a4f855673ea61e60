package io.kivaloo.lbss3.s3;

import org.gaul.s3proxy.junit.S3ProxyExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** {@link S3ObjectStore} against a real S3 API: S3Proxy in this JVM, in-memory storage. */
class S3ObjectStoreTest {

    @RegisterExtension
    final S3ProxyExtension proxy = S3ProxyBuckets.proxy();

    @Test
    void createGetRangeListDeleteRoundTrip() throws IOException {
        try (S3ObjectStore store = S3ProxyBuckets.open(proxy, "round-trip")) {
            byte[] data = "0123456789abcdef".getBytes(StandardCharsets.US_ASCII);
            store.create("p/blocks/b", data);
            store.create("p/blocks/a", new byte[3]);
            store.create("q/other", new byte[1]);
            assertThat(store.get("p/blocks/b")).isEqualTo(data);
            assertThat(store.getRange("p/blocks/b", 4, 4)).isEqualTo("4567".getBytes(StandardCharsets.US_ASCII));
            assertThat(store.getRange("p/blocks/b", 12, 8)).as("a range past the end is cut").hasSize(4);
            assertThat(store.exists("p/blocks/b")).isTrue();
            assertThat(store.list("p/")).containsExactly(new ObjectInfo("p/blocks/a", 3), new ObjectInfo("p/blocks/b", 16));
            store.delete("p/blocks/b");
            store.delete("p/blocks/b");
            assertThat(store.get("p/blocks/b")).isNull();
            assertThat(store.getRange("p/blocks/b", 0, 4)).isNull();
            assertThat(store.exists("p/blocks/b")).isFalse();
            assertThat(store.list("p/")).containsExactly(new ObjectInfo("p/blocks/a", 3));
        }
    }

    /** S3Proxy 4.1.0 honours If-None-Match: * on PUT (answers 412), so the no-overwrite rule is enforced there. */
    @Test
    void secondCreateOfAKeyIsRefusedAndKeepsTheFirstContent() throws IOException {
        try (S3ObjectStore store = S3ProxyBuckets.open(proxy, "no-overwrite")) {
            store.create("k", new byte[] {1});
            assertThatThrownBy(() -> store.create("k", new byte[] {2})).isInstanceOf(ObjectExistsException.class);
            assertThat(store.get("k")).containsExactly(1);
        }
    }

    @Test
    void listingReadsEveryPage() throws IOException {
        try (S3ObjectStore store = S3ProxyBuckets.open(proxy, "pages")) {
            // Past the 1,000 keys of one listing page.
            for (int i = 0; i < 1_005; i++) {
                store.create(String.format("k/%05d", i), new byte[0]);
            }
            assertThat(store.list("k/")).hasSize(1_005).first().isEqualTo(new ObjectInfo("k/00000", 0));
        }
    }

    @Test
    void throttlingAndServerErrorsAreRetried() throws IOException {
        S3ProxyBuckets.createBucket(proxy, "throttled");
        try (ThrottlingFront front = new ThrottlingFront(proxy.getUri(), 2);
             S3ObjectStore store = S3ObjectStore.open(S3Settings.of("throttled", front.uri(), S3ProxyBuckets.REGION, true),
                     S3ProxyBuckets.credentials())) {
            store.create("k", new byte[] {7});
            assertThat(store.get("k")).containsExactly(7);
            assertThat(store.list("")).hasSize(1);
            assertThat(front.refused()).as("503 and 500 answers the SDK retried").isEqualTo(2);
        }
    }

    @Test
    void missingBucketIsAClearError() throws IOException {
        try (S3ObjectStore store = S3ObjectStore.open(S3ProxyBuckets.settings(proxy, "no-such-bucket"),
                S3ProxyBuckets.credentials())) {
            assertThatThrownBy(() -> store.list("x/")).isInstanceOf(ObjectStoreException.class)
                    .hasMessageContaining("LIST").hasMessageContaining("bucket=no-such-bucket");
        }
    }

    @Test
    void unreachableEndpointFailsAfterItsRetriesInsteadOfHanging() throws IOException {
        URI closed;
        try (ServerSocket socket = new ServerSocket()) {
            socket.bind(new InetSocketAddress("127.0.0.1", 0));
            closed = URI.create("http://127.0.0.1:" + socket.getLocalPort());
        }
        S3Settings settings = new S3Settings("b", closed, S3ProxyBuckets.REGION, true, Duration.ofSeconds(5),
                Duration.ofSeconds(60), 3);
        try (S3ObjectStore store = S3ObjectStore.open(settings, S3ProxyBuckets.credentials())) {
            assertThatThrownBy(() -> store.create("k", new byte[1])).isInstanceOf(ObjectStoreException.class)
                    .hasMessageContaining("PUT").hasMessageContaining(closed.toString());
        }
    }
}
