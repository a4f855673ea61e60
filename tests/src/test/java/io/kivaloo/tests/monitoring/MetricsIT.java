package io.kivaloo.tests.monitoring;

import io.kivaloo.proto.client.BlockingKvldsClient;
import io.kivaloo.proto.kvlds.Key;
import io.kivaloo.proto.metrics.HttpGet;
import io.kivaloo.proto.metrics.PrometheusText;
import io.kivaloo.tests.chain.Chain;
import io.kivaloo.tests.chain.ChainExtension;
import io.kivaloo.tests.chain.DaemonBinaries;
import io.kivaloo.tests.chain.Role;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.io.IOException;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The operator's view of a running chain (docs/operations.md "Monitor"):
 * every daemon started with {@code --metrics-listen} serves {@code /metrics}
 * that a Prometheus server can read and that counts what the test did, and
 * {@code /health} that follows mux's target going away and coming back.
 */
class MetricsIT {

    private static final int SETS = 50;
    private static final int GETS = 20;

    @RegisterExtension
    final ChainExtension chains = new ChainExtension();

    private String lbsMetrics;
    private String kvldsMetrics;
    private String muxMetrics;

    private Chain startChain() throws IOException {
        DaemonBinaries binaries = DaemonBinaries.fromSystemProperties();
        binaries.assumeBuilt();
        lbsMetrics = MetricsPorts.freeLoopback();
        kvldsMetrics = MetricsPorts.freeLoopback();
        muxMetrics = MetricsPorts.freeLoopback();
        return chains.start(Chain.builder()
                .blockStore(new WithOptions(binaries.blockStore(), List.of("--metrics-listen", lbsMetrics)))
                .kvldsOptions("--metrics-listen", kvldsMetrics)
                .muxOptions("--metrics-listen", muxMetrics));
    }

    @Test
    void eachDaemonsMetricsParseAndCountWhatWasDone() throws Exception {
        Chain chain = startChain();
        PrometheusText kvldsBefore = HttpGet.metrics(kvldsMetrics);
        PrometheusText lbsBefore = HttpGet.metrics(lbsMetrics);
        try (BlockingKvldsClient client = chain.client()) {
            for (int i = 0; i < SETS; i++) {
                client.set(Key.of("key-" + i), Key.of("value-" + i));
            }
            for (int i = 0; i < GETS; i++) {
                assertThat(client.get(Key.of("key-" + i))).isEqualTo(Key.of("value-" + i));
            }
            PrometheusText kvlds = HttpGet.metrics(kvldsMetrics);
            assertThat(kvlds.require("kivaloo_kvlds_requests_total{type=\"set\"}")
                    - kvldsBefore.require("kivaloo_kvlds_requests_total{type=\"set\"}")).isEqualTo(SETS);
            assertThat(kvlds.require("kivaloo_kvlds_requests_total{type=\"get\"}")
                    - kvldsBefore.require("kivaloo_kvlds_requests_total{type=\"get\"}")).isEqualTo(GETS);
            assertThat(kvlds.require("kivaloo_kvlds_request_duration_seconds_count{type=\"set\"}")).isEqualTo(SETS);
            // Sequential SETs each wait for their own commit: one batch each.
            double batches = kvlds.require("kivaloo_kvlds_batches_total") - kvldsBefore.require("kivaloo_kvlds_batches_total");
            assertThat(batches).isEqualTo(SETS);
            assertThat(kvlds.require("kivaloo_kvlds_pages_written_total")).isGreaterThanOrEqualTo(SETS);
            for (String gauge : List.of("kivaloo_kvlds_live_pages", "kivaloo_kvlds_log_span_blocks", "kivaloo_kvlds_cleaning_debt",
                    "kivaloo_kvlds_cache_hits_total", "kivaloo_kvlds_cache_misses_total")) {
                kvlds.require(gauge);
            }

            PrometheusText lbs = HttpGet.metrics(lbsMetrics);
            // Every kvlds batch is one APPEND of the pages it wrote.
            assertThat(lbs.require("kivaloo_lbs_appends_total") - lbsBefore.require("kivaloo_lbs_appends_total")).isEqualTo(batches);
            assertThat(lbs.require("kivaloo_lbs_append_blocks_total")).isEqualTo(kvlds.require("kivaloo_kvlds_pages_written_total")
                    + lbsBefore.require("kivaloo_lbs_append_blocks_total") - kvldsBefore.require("kivaloo_kvlds_pages_written_total"));
            assertThat(lbs.require("kivaloo_lbs_append_bytes_total"))
                    .isEqualTo(lbs.require("kivaloo_lbs_append_blocks_total") * DaemonBinaries.DEFAULT_BLOCK_SIZE);
            // Each APPEND is fsynced at least once before it is acknowledged.
            assertThat(lbs.require("kivaloo_lbs_fsync_duration_seconds_count")).isGreaterThanOrEqualTo(batches);
            assertThat(lbs.require("kivaloo_lbs_files")).isPositive();
            assertThat(lbs.require("kivaloo_lbs_stored_blocks")).isPositive();
            lbs.require("kivaloo_lbs_gets_total{result=\"found\"}");

            PrometheusText mux = HttpGet.metrics(muxMetrics);
            assertThat(mux.require("kivaloo_mux_clients_connected")).isEqualTo(1);
            assertThat(mux.require("kivaloo_mux_upstream_up")).isEqualTo(1);
            assertThat(mux.require("kivaloo_mux_reconnects_total")).isZero();
            mux.require("kivaloo_mux_requests_in_flight");
            for (PrometheusText scrape : List.of(kvlds, lbs, mux)) {
                assertThat(scrape.type("jvm_memory_used_bytes")).isEqualTo("gauge");
                assertThat(scrape.require("jvm_threads_current")).isPositive();
            }
        }
        for (String endpoint : List.of(lbsMetrics, kvldsMetrics, muxMetrics)) {
            HttpGet health = HttpGet.of(endpoint, "/health");
            assertThat(health.status()).as(endpoint).isEqualTo(200);
            assertThat(health.body()).isEqualTo("serving\n");
        }
    }

    @Test
    void muxHealthFlipsWhenItsTargetIsKilledAndBackWhenItReturns() throws Exception {
        Chain chain = startChain();
        assertThat(HttpGet.of(muxMetrics, "/health").status()).isEqualTo(200);
        chain.kill(Role.KVLDS);
        HttpGet down = HealthWait.until(muxMetrics, 503);
        assertThat(down.body()).isEqualTo("target down\n");
        assertThat(HttpGet.metrics(muxMetrics).require("kivaloo_mux_upstream_up")).isZero();

        chain.start(Role.KVLDS);
        HealthWait.until(muxMetrics, 200);
        PrometheusText mux = HttpGet.metrics(muxMetrics);
        assertThat(mux.require("kivaloo_mux_upstream_up")).isEqualTo(1);
        assertThat(mux.require("kivaloo_mux_reconnects_total")).isEqualTo(1);
        try (BlockingKvldsClient client = chain.client()) {
            client.set(Key.of("after"), Key.of("return"));
            assertThat(client.get(Key.of("after"))).isEqualTo(Key.of("return"));
        }
    }
}
