package io.kivaloo.tests.semantics;

import io.kivaloo.tests.chain.DaemonBinaries;
import io.kivaloo.tests.chain.LbsS3Backend;
import org.gaul.s3proxy.junit.S3ProxyExtension;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * {@link SemanticsIT}'s scenarios, unchanged, on lbs-s3 instead of lbs:
 * the same kvlds and mux on a block store in an S3 bucket (S3Proxy in this
 * JVM). Swapping the block-store daemon changes nothing a client sees.
 */
class SemanticsOnLbsS3IT extends SemanticsIT {

    /** Ordered first, so it starts before and stops after the chains (which stop lbs-s3 first). */
    @RegisterExtension
    @Order(0)
    final S3ProxyExtension s3 = LbsS3Backend.proxy();

    @Override
    DaemonBinaries binaries() {
        return LbsS3Backend.binaries(s3);
    }
}
