package io.kivaloo.lbss3.server;

import io.kivaloo.lbss3.s3.S3Settings;
import io.kivaloo.proto.net.KivalooAddress;

import java.time.Duration;

/**
 * What an lbs-s3 serves and how, as given on the command line (DESIGN.md "Invocation").
 *
 * @param address     where to listen (-s)
 * @param blockSize   bytes per block, 512..131072 (-b)
 * @param s3          bucket, endpoint, region, addressing (-B, -E, --region, --path-style)
 * @param prefix      key prefix inside the bucket (--prefix)
 * @param leasePeriod how long a starting instance watches for a live one (--lease-seconds)
 * @param single      exit after the first connection (-1)
 */
public record LbsS3Config(KivalooAddress address, int blockSize, S3Settings s3, String prefix, Duration leasePeriod,
                          boolean single) {
}
