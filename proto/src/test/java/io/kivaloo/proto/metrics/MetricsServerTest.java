package io.kivaloo.proto.metrics;

import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.core.metrics.Histogram;
import org.junit.jupiter.api.Test;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class MetricsServerTest {

    private static InetSocketAddress anyLoopbackPort() {
        return new InetSocketAddress(InetAddress.getLoopbackAddress(), 0);
    }

    private static String hostPort(MetricsServer server) {
        return "127.0.0.1:" + server.address().getPort();
    }

    @Test
    void metricsParseAsPrometheusTextWithDaemonAndJvmSeries() throws Exception {
        DaemonMetrics metrics = new DaemonMetrics("lbs-s3");
        metrics.includeJvm();
        Counter requests = metrics.counter("requests", "Requests.", "type");
        Histogram latency = metrics.latency("request_duration", "Latency.");
        metrics.gaugeReading("live", "Live.", () -> 7);
        requests.labelValues("get").inc(3);
        latency.observe(0.002);
        try (MetricsServer server = MetricsServer.start(anyLoopbackPort(), metrics.registry(), () -> Health.SERVING)) {
            PrometheusText text = HttpGet.metrics(hostPort(server));
            assertThat(text.require("kivaloo_lbs_s3_requests_total{type=\"get\"}")).isEqualTo(3);
            assertThat(text.require("kivaloo_lbs_s3_request_duration_seconds_count")).isEqualTo(1);
            assertThat(text.require("kivaloo_lbs_s3_request_duration_seconds_bucket{le=\"0.0025\"}")).isEqualTo(1);
            assertThat(text.require("kivaloo_lbs_s3_request_duration_seconds_bucket{le=\"0.001\"}")).isEqualTo(0);
            assertThat(text.require("kivaloo_lbs_s3_live")).isEqualTo(7);
            assertThat(text.type("jvm_memory_used_bytes")).isEqualTo("gauge");
            assertThat(text.keys()).anyMatch(k -> k.startsWith("jvm_gc_collection_seconds"));
            assertThat(text.require("jvm_threads_current")).isPositive();
        }
    }

    /** Unserved metrics cost no JVM instrumentation (5 to 7 MB of resident memory in mux). */
    @Test
    void jvmSeriesComeOnlyOnceIncluded() {
        DaemonMetrics metrics = new DaemonMetrics("mux");
        assertThat(names(metrics)).noneMatch(n -> n.startsWith("jvm_"));
        metrics.includeJvm();
        assertThat(names(metrics)).contains("jvm_memory_used_bytes", "jvm_threads_current");
    }

    private static List<String> names(DaemonMetrics metrics) {
        List<String> names = new ArrayList<>();
        metrics.registry().scrape().forEach(snapshot -> names.add(snapshot.getMetadata().getPrometheusName()));
        return names;
    }

    @Test
    void countsAreReadAtEachScrape() throws Exception {
        DaemonMetrics metrics = new DaemonMetrics("kvlds");
        Counter sets = metrics.counter("sets", "Sets.");
        try (MetricsServer server = MetricsServer.start(anyLoopbackPort(), metrics.registry(), () -> Health.SERVING)) {
            assertThat(HttpGet.metrics(hostPort(server)).require("kivaloo_kvlds_sets_total")).isEqualTo(0);
            sets.inc(5);
            assertThat(HttpGet.metrics(hostPort(server)).require("kivaloo_kvlds_sets_total")).isEqualTo(5);
        }
    }

    @Test
    void healthIs200WhileServingAnd503WithOneLineReasonOtherwise() throws Exception {
        AtomicReference<Health> health = new AtomicReference<>(Health.SERVING);
        try (MetricsServer server = MetricsServer.start(anyLoopbackPort(), new DaemonMetrics("mux").registry(), health::get)) {
            HttpGet ok = HttpGet.of(hostPort(server), "/health");
            assertThat(ok.status()).isEqualTo(200);
            assertThat(ok.body()).isEqualTo("serving\n");
            health.set(Health.notServing("target down\nsecond line"));
            HttpGet down = HttpGet.of(hostPort(server), "/health");
            assertThat(down.status()).isEqualTo(503);
            assertThat(down.body()).isEqualTo("target down second line\n");
        }
    }

    @Test
    void otherPathsAre404() throws Exception {
        try (MetricsServer server = MetricsServer.start(anyLoopbackPort(), new DaemonMetrics("lbs").registry(), () -> Health.SERVING)) {
            assertThat(HttpGet.of(hostPort(server), "/").status()).isEqualTo(404);
            assertThat(HttpGet.of(hostPort(server), "/metrics/extra").status()).isEqualTo(404);
        }
    }

    @Test
    void twoDaemonsInOneJvmKeepSeparateCounts() {
        DaemonMetrics first = new DaemonMetrics("lbs");
        DaemonMetrics second = new DaemonMetrics("lbs");
        first.counter("gets", "Gets.").inc();
        second.counter("gets", "Gets.");
        assertThat(first.registry().scrape()).isNotSameAs(second.registry().scrape());
        assertThat(second.registry().scrape().stream().filter(s -> s.getMetadata().getName().equals("kivaloo_lbs_gets"))
                .findFirst().orElseThrow().getDataPoints().get(0)).extracting("value").isEqualTo(0.0);
    }

    @Test
    void theParserRejectsWhatPrometheusCouldNotRead() {
        assertThatThrownBy(() -> PrometheusText.parse("no_type_declared 1\n")).hasMessageContaining("line 1");
        assertThatThrownBy(() -> PrometheusText.parse("# TYPE a counter\na_total{x=unquoted} 1\n")).hasMessageContaining("line 2");
        assertThatThrownBy(() -> PrometheusText.parse("# TYPE a gauge\na one\n")).hasMessageContaining("bad value");
    }
}
