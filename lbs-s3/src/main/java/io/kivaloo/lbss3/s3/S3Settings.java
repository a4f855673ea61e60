package io.kivaloo.lbss3.s3;

import java.net.URI;
import java.time.Duration;

/**
 * How to reach the bucket (DESIGN.md "Invocation").
 *
 * @param bucket         the bucket (-B)
 * @param endpoint       an S3-compatible endpoint, or null for AWS (-E)
 * @param region         the signing region, or null for the SDK's region chain (--region)
 * @param pathStyle      address the bucket in the path, not the host name (--path-style)
 * @param attemptTimeout bound on one HTTP attempt
 * @param callTimeout    bound on one request including its retries
 * @param maxAttempts    attempts per request, first one included
 */
public record S3Settings(String bucket, URI endpoint, String region, boolean pathStyle, Duration attemptTimeout,
                         Duration callTimeout, int maxAttempts) {

    /** One attempt: long enough for a 32 MiB APPEND on a slow link, short enough that a hang is noticed. */
    public static final Duration DEFAULT_ATTEMPT_TIMEOUT = Duration.ofSeconds(60);
    /** All attempts of one request: a few throttled retries with backoff fit. */
    public static final Duration DEFAULT_CALL_TIMEOUT = Duration.ofSeconds(180);
    public static final int DEFAULT_MAX_ATTEMPTS = 6;

    public S3Settings {
        if (bucket == null || bucket.isEmpty()) {
            throw new IllegalArgumentException("bucket: empty");
        }
        if (maxAttempts < 1) {
            throw new IllegalArgumentException("maxAttempts: " + maxAttempts + " (expected: >= 1)");
        }
    }

    public static S3Settings of(String bucket, URI endpoint, String region, boolean pathStyle) {
        return new S3Settings(bucket, endpoint, region, pathStyle, DEFAULT_ATTEMPT_TIMEOUT, DEFAULT_CALL_TIMEOUT,
                DEFAULT_MAX_ATTEMPTS);
    }
}
