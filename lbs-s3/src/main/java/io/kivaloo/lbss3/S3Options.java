package io.kivaloo.lbss3;

import io.kivaloo.lbss3.s3.S3Settings;
import picocli.CommandLine.Option;

import java.net.URI;

/** Where the store is: options shared by the daemon and its {@code init} subcommand. */
final class S3Options {

    @Option(names = {"-B", "--bucket"}, paramLabel = "<bucket>", description = "The bucket; it must exist.")
    String bucket;

    @Option(names = {"-E", "--endpoint"}, paramLabel = "<url>",
            description = "Endpoint URL of an S3-compatible service (MinIO, Ceph RGW, S3Proxy); default AWS.")
    URI endpoint;

    @Option(names = "--region", paramLabel = "<region>",
            description = "Signing region (default: the SDK's region chain, e.g. AWS_REGION).")
    String region;

    @Option(names = "--path-style",
            description = "Address the bucket in the URL path, not the host name (most S3-compatible services need this).")
    boolean pathStyle;

    @Option(names = "--prefix", paramLabel = "<prefix>", defaultValue = "",
            description = "Key prefix inside the bucket; several stores can share a bucket (default: none).")
    String prefix;

    S3Settings settings() {
        return S3Settings.of(bucket, endpoint, region, pathStyle);
    }
}
