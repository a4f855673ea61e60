package io.kivaloo.lbss3.s3;

import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.core.ResponseBytes;
import software.amazon.awssdk.core.checksums.RequestChecksumCalculation;
import software.amazon.awssdk.core.checksums.ResponseChecksumValidation;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.http.apache.ApacheHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.regions.providers.DefaultAwsRegionProviderChain;
import software.amazon.awssdk.retries.api.BackoffStrategy;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.S3ClientBuilder;
import software.amazon.awssdk.services.s3.model.GetObjectRequest;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;
import software.amazon.awssdk.services.s3.model.ListObjectsV2Request;
import software.amazon.awssdk.services.s3.model.ListObjectsV2Response;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.s3.model.S3Object;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.Base64;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * {@link ObjectStore} over the AWS SDK v2 synchronous S3 client, with the
 * Apache HttpClient transport. Credentials come from the SDK's
 * default provider chain (environment, system properties, profile files).
 *
 * <p>Every request is bounded: one attempt by {@link S3Settings#attemptTimeout()}
 * (and the socket's connect and read timeouts), all attempts by
 * {@link S3Settings#callTimeout()}. Throttling, 5xx answers and I/O errors
 * (refused connections included) are retried with exponential backoff and
 * jitter, so an unreachable endpoint ends in an error after a few seconds,
 * not a hang.
 */
public final class S3ObjectStore implements ObjectStore {

    private static final Logger log = LoggerFactory.getLogger(S3ObjectStore.class);

    /** Connecting takes milliseconds on a working network; a dead address must fail fast and be retried. */
    private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(10);
    /** Readers, writer, deleter and lease renewer each hold at most one connection. */
    private static final int MAX_CONNECTIONS = 32;
    /** First retry delay; doubled per attempt, with full jitter. */
    private static final Duration BACKOFF_BASE = Duration.ofMillis(100);
    private static final Duration BACKOFF_MAX = Duration.ofSeconds(10);
    /** Throttling (503 SlowDown, 429) backs off longer, as the SDK's default does. */
    private static final Duration THROTTLING_BACKOFF_BASE = Duration.ofMillis(500);
    private static final Duration THROTTLING_BACKOFF_MAX = Duration.ofSeconds(20);
    private static final int HTTP_NOT_FOUND = 404;
    private static final int HTTP_PRECONDITION_FAILED = 412;
    /** S3Proxy and some S3-compatible stores answer a conditional-write conflict with 409. */
    private static final int HTTP_CONFLICT = 409;
    private static final int HTTP_RANGE_NOT_SATISFIABLE = 416;
    private static final String NO_SUCH_BUCKET = "NoSuchBucket";

    private final S3Client client;
    private final S3Settings settings;

    private S3ObjectStore(S3Client client, S3Settings settings) {
        this.client = client;
        this.settings = settings;
    }

    /** Builds the client with the SDK's default credentials chain; fails if no region is configured anywhere. Makes no request. */
    public static S3ObjectStore open(S3Settings settings) throws ObjectStoreException {
        return open(settings, DefaultCredentialsProvider.builder().build());
    }

    /** As {@link #open(S3Settings)}, counting every request into {@code metrics}. */
    public static S3ObjectStore open(S3Settings settings, S3RequestMetrics metrics) throws ObjectStoreException {
        return open(settings, DefaultCredentialsProvider.builder().build(), metrics);
    }

    /** As {@link #open(S3Settings)} with the credentials given (tests, which must not set process-wide properties). */
    public static S3ObjectStore open(S3Settings settings, AwsCredentialsProvider credentials) throws ObjectStoreException {
        return open(settings, credentials, null);
    }

    /** As {@link #open(S3Settings, AwsCredentialsProvider)}, counting into {@code metrics} unless it is null. */
    public static S3ObjectStore open(S3Settings settings, AwsCredentialsProvider credentials, S3RequestMetrics metrics)
            throws ObjectStoreException {
        S3ClientBuilder builder = S3Client.builder()
                .credentialsProvider(credentials)
                .httpClientBuilder(ApacheHttpClient.builder()
                        .connectionTimeout(CONNECT_TIMEOUT)
                        .socketTimeout(settings.attemptTimeout())
                        .maxConnections(MAX_CONNECTIONS)
                        .expectContinueEnabled(false))
                .region(region(settings))
                .forcePathStyle(settings.pathStyle())
                // The SDK's default trailing CRC32 (aws-chunked uploads) is refused by several
                // S3-compatible stores; Content-MD5 on every PUT checks the body everywhere.
                .requestChecksumCalculation(RequestChecksumCalculation.WHEN_REQUIRED)
                .responseChecksumValidation(ResponseChecksumValidation.WHEN_REQUIRED)
                .overrideConfiguration(c -> c
                        .apiCallAttemptTimeout(settings.attemptTimeout())
                        .apiCallTimeout(settings.callTimeout())
                        .retryStrategy(AwsRetryStrategy.standardRetryStrategy().toBuilder()
                                .maxAttempts(settings.maxAttempts())
                                .backoffStrategy(BackoffStrategy.exponentialDelay(BACKOFF_BASE, BACKOFF_MAX))
                                .throttlingBackoffStrategy(BackoffStrategy.exponentialDelay(
                                        THROTTLING_BACKOFF_BASE, THROTTLING_BACKOFF_MAX))
                                .build()));
        if (metrics != null) {
            builder.overrideConfiguration(c -> c.addExecutionInterceptor(metrics));
        }
        if (settings.endpoint() != null) {
            builder.endpointOverride(settings.endpoint());
        }
        try {
            return new S3ObjectStore(builder.build(), settings);
        } catch (SdkException e) {
            throw new ObjectStoreException("cannot set up the S3 client: " + e.getMessage(), e);
        }
    }

    private static Region region(S3Settings settings) throws ObjectStoreException {
        if (settings.region() != null) {
            return Region.of(settings.region());
        }
        try {
            return DefaultAwsRegionProviderChain.builder().build().getRegion();
        } catch (SdkException e) {
            throw new ObjectStoreException("no region: give --region or set AWS_REGION", e);
        }
    }

    /**
     * A 412 can answer our own retry: the first attempt landed but its answer
     * was lost (S3Proxy showed this under load), so a conflict counts as
     * success when the object holds exactly our bytes. Callers make their
     * content unique to the writer (a nonce, a generation) so that another
     * writer's object never matches.
     */
    @Override
    public void create(String key, byte[] data) throws IOException {
        String md5 = Base64.getEncoder().encodeToString(md5(data));
        try {
            client.putObject(b -> b.bucket(settings.bucket()).key(key).ifNoneMatch("*").contentMD5(md5)
                            .contentLength((long) data.length),
                    RequestBody.fromBytes(data));
        } catch (AwsServiceException e) {
            if (e.statusCode() != HTTP_PRECONDITION_FAILED && e.statusCode() != HTTP_CONFLICT) {
                throw failed("PUT", key, e);
            }
            if (!Arrays.equals(get(key), data)) {
                throw (ObjectExistsException) new ObjectExistsException(key).initCause(e);
            }
            log.info("PUT found its own earlier attempt in place key={} attempts={}", key, e.numAttempts());
        } catch (SdkException e) {
            throw failed("PUT", key, e);
        }
    }

    private static byte[] md5(byte[] data) {
        try {
            // Content-MD5 makes S3 (and every S3-compatible store) reject a body damaged on the way.
            return MessageDigest.getInstance("MD5").digest(data);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has MD5", e);
        }
    }

    @Override
    public byte[] get(String key) throws IOException {
        return read(GetObjectRequest.builder().bucket(settings.bucket()).key(key).build());
    }

    @Override
    public byte[] getRange(String key, long offset, int length) throws IOException {
        if (offset < 0 || length <= 0) {
            throw new IllegalArgumentException("range offset=" + offset + " length=" + length);
        }
        return read(GetObjectRequest.builder().bucket(settings.bucket()).key(key)
                .range("bytes=" + offset + "-" + (offset + length - 1)).build());
    }

    private byte[] read(GetObjectRequest request) throws IOException {
        try {
            ResponseBytes<GetObjectResponse> bytes = client.getObjectAsBytes(request);
            return bytes.asByteArrayUnsafe();
        } catch (AwsServiceException e) {
            if (isMissingKey(e)) {
                return null;
            }
            if (e.statusCode() == HTTP_RANGE_NOT_SATISFIABLE) {
                return new byte[0];
            }
            throw failed("GET", request.key(), e);
        } catch (SdkException e) {
            throw failed("GET", request.key(), e);
        }
    }

    @Override
    public boolean exists(String key) throws IOException {
        try {
            client.headObject(b -> b.bucket(settings.bucket()).key(key));
            return true;
        } catch (AwsServiceException e) {
            if (isMissingKey(e)) {
                return false;
            }
            throw failed("HEAD", key, e);
        } catch (SdkException e) {
            throw failed("HEAD", key, e);
        }
    }

    @Override
    public List<ObjectInfo> list(String prefix) throws IOException {
        List<ObjectInfo> out = new ArrayList<>();
        String token = null;
        try {
            do {
                ListObjectsV2Request.Builder request = ListObjectsV2Request.builder().bucket(settings.bucket())
                        .prefix(prefix);
                if (token != null) {
                    request.continuationToken(token);
                }
                ListObjectsV2Response page = client.listObjectsV2(request.build());
                for (S3Object object : page.contents()) {
                    out.add(new ObjectInfo(object.key(), object.size()));
                }
                token = Boolean.TRUE.equals(page.isTruncated()) ? page.nextContinuationToken() : null;
            } while (token != null);
        } catch (SdkException e) {
            throw failed("LIST", prefix, e);
        }
        // S3 lists in UTF-8 binary order; our keys are ASCII, so this is key order. Sorting keeps
        // stores that list otherwise (some S3-compatible ones) from breaking recovery.
        out.sort((a, b) -> a.key().compareTo(b.key()));
        return out;
    }

    @Override
    public void delete(String key) throws IOException {
        try {
            client.deleteObject(b -> b.bucket(settings.bucket()).key(key));
        } catch (AwsServiceException e) {
            if (isMissingKey(e)) {
                return;
            }
            throw failed("DELETE", key, e);
        } catch (SdkException e) {
            throw failed("DELETE", key, e);
        }
    }

    /**
     * A 404 means "no such key" unless it names the bucket: a missing bucket
     * must be an error, not an empty store that the first start initialises.
     * (A HEAD's 404 has no body to tell; HEAD is only the fence, after a PUT
     * into the same bucket succeeded.)
     */
    private static boolean isMissingKey(AwsServiceException e) {
        if (e instanceof NoSuchKeyException) {
            return true;
        }
        String code = e.awsErrorDetails() == null ? null : e.awsErrorDetails().errorCode();
        return e.statusCode() == HTTP_NOT_FOUND && !NO_SUCH_BUCKET.equals(code);
    }

    private ObjectStoreException failed(String request, String key, SdkException e) {
        return new ObjectStoreException("S3 " + request + " failed " + describe() + " key=" + key + ": " + e.getMessage(), e);
    }

    @Override
    public String describe() {
        return "bucket=" + settings.bucket() + " endpoint=" + (settings.endpoint() == null ? "aws" : settings.endpoint());
    }

    @Override
    public void close() {
        client.close();
    }
}
