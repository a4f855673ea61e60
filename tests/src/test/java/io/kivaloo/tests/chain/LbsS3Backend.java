package io.kivaloo.tests.chain;

import org.gaul.s3proxy.junit.S3ProxyExtension;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.BucketAlreadyOwnedByYouException;

import java.nio.file.Path;

/**
 * Chains on lbs-s3 over an S3Proxy in the test JVM (on 127.0.0.1, in-memory
 * storage): the suites' {@code *OnLbsS3IT} variants. S3Proxy's JUnit
 * extension starts one server per test, so it must be an instance field:
 * <pre>
 *   &#64;RegisterExtension &#64;Order(0)   // before the ChainExtension: S3 outlives the chains
 *   final S3ProxyExtension s3 = LbsS3Backend.proxy();
 *   ...  LbsS3Backend.binaries(s3)
 * </pre>
 */
public final class LbsS3Backend {

    private static final String ACCESS_KEY = "kivaloo-it";
    private static final String SECRET_KEY = "kivaloo-it-secret";
    private static final String REGION = "us-east-1";
    private static final String BUCKET = "kivaloo";
    /** Short: every restart after kill -9 waits one lease period; no second instance ever runs here. */
    private static final int LEASE_SECONDS = 2;

    private LbsS3Backend() {
    }

    public static S3ProxyExtension proxy() {
        return S3ProxyExtension.builder().withBlobStoreProvider("transient").withCredentials(ACCESS_KEY, SECRET_KEY)
                .build();
    }

    /** The system properties' programs with lbs-s3 as the block store, on a bucket of {@code proxy} (created if new). */
    public static DaemonBinaries binaries(S3ProxyExtension proxy) {
        try (S3Client client = S3Client.builder().endpointOverride(proxy.getUri()).region(Region.of(REGION))
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create(ACCESS_KEY, SECRET_KEY)))
                .forcePathStyle(true).build()) {
            client.createBucket(b -> b.bucket(BUCKET));
        } catch (BucketAlreadyOwnedByYouException again) {
            // A suite asks for its binaries more than once per test; each chain has a prefix of its own.
        }
        DaemonBinaries binaries = DaemonBinaries.fromSystemProperties();
        Path executable = binaries.root().resolve("bin").resolve("kivaloo-lbs-s3");
        int blockSize = Integer.getInteger("kivaloo.blockSize", DaemonBinaries.DEFAULT_BLOCK_SIZE);
        return binaries.withBlockStore(new S3BlockStore(executable, blockSize, proxy.getUri(), BUCKET, ACCESS_KEY,
                SECRET_KEY, REGION, LEASE_SECONDS));
    }
}
