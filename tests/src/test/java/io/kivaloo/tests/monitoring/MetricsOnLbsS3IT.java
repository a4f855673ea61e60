package io.kivaloo.tests.monitoring;

import io.kivaloo.proto.client.BlockingKvldsClient;
import io.kivaloo.proto.kvlds.Key;
import io.kivaloo.proto.metrics.HttpGet;
import io.kivaloo.proto.metrics.PrometheusText;
import io.kivaloo.tests.chain.Chain;
import io.kivaloo.tests.chain.ChainExtension;
import io.kivaloo.tests.chain.DaemonBinaries;
import io.kivaloo.tests.chain.LbsS3Backend;
import org.gaul.s3proxy.junit.S3ProxyExtension;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * lbs-s3's {@code /metrics}: every object store request counted by operation
 * and status, so that SETs through the chain show up as successful
 * PutObject requests, one per APPEND at least.
 */
class MetricsOnLbsS3IT {

    private static final int SETS = 20;

    @RegisterExtension
    @Order(0)
    final S3ProxyExtension s3 = LbsS3Backend.proxy();

    @RegisterExtension
    @Order(1)
    final ChainExtension chains = new ChainExtension();

    @Test
    void objectStoreRequestsAreCountedByOperationAndStatus() throws Exception {
        DaemonBinaries binaries = LbsS3Backend.binaries(s3);
        binaries.assumeBuilt();
        String lbsS3Metrics = MetricsPorts.freeLoopback();
        Chain chain = chains.start(Chain.builder().binaries(binaries)
                .blockStore(new WithOptions(binaries.blockStore(), List.of("--metrics-listen", lbsS3Metrics))));
        PrometheusText before = HttpGet.metrics(lbsS3Metrics);
        double putsBefore = puts(before);
        try (BlockingKvldsClient client = chain.client()) {
            for (int i = 0; i < SETS; i++) {
                client.set(Key.of("key-" + i), Key.of("value-" + i));
            }
        }
        PrometheusText after = HttpGet.metrics(lbsS3Metrics);
        assertThat(puts(after) - putsBefore).as(after.keys().toString()).isGreaterThanOrEqualTo(SETS);
        assertThat(after.keys()).allMatch(k -> !k.startsWith("kivaloo_lbs_s3_s3_requests_total") || k.contains("operation=\""));
        // A labelled counter has no sample before its first retry; S3Proxy in memory needs none.
        assertThat(after.keys()).noneMatch(k -> k.startsWith("kivaloo_lbs_s3_s3_retries_total"));
        HttpGet health = HttpGet.of(lbsS3Metrics, "/health");
        assertThat(health.status()).isEqualTo(200);
    }

    private static double puts(PrometheusText scrape) {
        Double value = scrape.value("kivaloo_lbs_s3_s3_requests_total{operation=\"PutObject\",status=\"200\"}");
        return value == null ? 0 : value;
    }
}
