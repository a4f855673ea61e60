package io.kivaloo.tests.durability;

import io.kivaloo.tests.chain.DaemonBinaries;
import io.kivaloo.tests.chain.LbsS3Backend;
import org.gaul.s3proxy.junit.S3ProxyExtension;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * {@link DurabilityIT}'s scenarios, unchanged, on lbs-s3 instead of lbs:
 * kill -9 of kvlds, lbs-s3 and mux in turn with writes in flight, and clean
 * restarts, over a bucket on S3Proxy in this JVM. Every acknowledged write
 * survives.
 */
class DurabilityOnLbsS3IT extends DurabilityIT {

    /** Ordered first, so it starts before and stops after the chains (which stop lbs-s3 first). */
    @RegisterExtension
    @Order(0)
    final S3ProxyExtension s3 = LbsS3Backend.proxy();

    @Override
    DaemonBinaries binaries() {
        return LbsS3Backend.binaries(s3);
    }
}
