package io.kivaloo.tests.chain;

import org.junit.jupiter.api.Test;

import java.net.URI;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/** A failing chain's report names its block store; describing lbs-s3 must not itself fail. */
class S3BlockStoreTest {

    @Test
    void describesItsCommandWithPlaceholders() {
        S3BlockStore store = new S3BlockStore(Path.of("/opt/bin/kivaloo-lbs-s3"), 4096, URI.create("http://127.0.0.1:9000"),
                "bucket", "access", "secret", "us-east-1", 5);
        assertThat(store.toString())
                .startsWith("/opt/bin/kivaloo-lbs-s3 -s {address} -b 4096 -B bucket -E http://127.0.0.1:9000")
                .doesNotContain("secret");
    }
}
