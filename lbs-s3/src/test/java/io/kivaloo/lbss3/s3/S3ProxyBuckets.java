package io.kivaloo.lbss3.s3;

import org.gaul.s3proxy.junit.S3ProxyExtension;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;

import java.io.IOException;

/**
 * Buckets on an in-process S3Proxy (register {@link #proxy()} as an instance
 * field: S3Proxy's extension starts a server per test). Tests get their
 * credentials passed in, never through process-wide properties.
 */
public final class S3ProxyBuckets {

    public static final String ACCESS_KEY = "kivaloo-test";
    public static final String SECRET_KEY = "kivaloo-test-secret";
    public static final String REGION = "us-east-1";

    private S3ProxyBuckets() {
    }

    /** An S3Proxy on 127.0.0.1 with in-memory storage and our credentials. */
    public static S3ProxyExtension proxy() {
        return S3ProxyExtension.builder()
                .withBlobStoreProvider("transient")
                .withCredentials(ACCESS_KEY, SECRET_KEY)
                .build();
    }

    public static StaticCredentialsProvider credentials() {
        return StaticCredentialsProvider.create(AwsBasicCredentials.create(ACCESS_KEY, SECRET_KEY));
    }

    public static S3Settings settings(S3ProxyExtension proxy, String bucket) {
        return S3Settings.of(bucket, proxy.getUri(), REGION, true);
    }

    /** Creates {@code bucket} on the proxy. */
    public static void createBucket(S3ProxyExtension proxy, String bucket) {
        try (S3Client client = S3Client.builder().endpointOverride(proxy.getUri()).region(Region.of(REGION))
                .credentialsProvider(credentials()).forcePathStyle(true).build()) {
            client.createBucket(b -> b.bucket(bucket));
        }
    }

    /** Creates {@code bucket} and opens our object store on it. */
    public static S3ObjectStore open(S3ProxyExtension proxy, String bucket) throws IOException {
        createBucket(proxy, bucket);
        return S3ObjectStore.open(settings(proxy, bucket), credentials());
    }
}
