package io.kivaloo.proto.metrics;

import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.core.metrics.Gauge;
import io.prometheus.metrics.core.metrics.GaugeWithCallback;
import io.prometheus.metrics.core.metrics.Histogram;
import io.prometheus.metrics.instrumentation.jvm.JvmMetrics;
import io.prometheus.metrics.model.registry.PrometheusRegistry;

import java.util.function.DoubleSupplier;

/**
 * One daemon's metric registry: its own series, named
 * {@code kivaloo_<daemon>_<name>}, plus, once {@link #includeJvm()} is
 * called, the JVM's memory, GC and thread series. Each daemon's metrics class registers its series here at
 * construction; the daemon's threads update them (lock-free adders), and
 * {@link MetricsServer} only reads them when scraped.
 *
 * <p>The registry is an instance, never the library's default one: two
 * daemons in one test JVM keep separate counts.
 */
public final class DaemonMetrics {

    /**
     * Latency buckets in seconds, 50 µs to 10 s: a kvlds GET on a warm cache
     * is tens of microseconds, an fsync on a disk milliseconds, a stalled
     * S3 request seconds.
     */
    private static final double[] LATENCY_BUCKETS = {
        0.00005, 0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10
    };

    private final String prefix;
    private final PrometheusRegistry registry = new PrometheusRegistry();

    /** @param daemon the daemon's short name ({@code lbs}, {@code lbs-s3}, {@code kvlds}, {@code mux}) */
    public DaemonMetrics(String daemon) {
        this.prefix = "kivaloo_" + daemon.replace('-', '_') + "_";
    }

    /**
     * Adds the JVM's series; {@code Daemon} calls it when it serves the
     * metrics. Not at construction: the instrumentation loads some 400
     * classes (JMX, management, JFR), 5 to 7 MB of a daemon's resident memory
     * that nobody reads without {@code --metrics-listen} (mux/DESIGN.md
     * "Memory at 10,000 connections"). Once only.
     */
    public void includeJvm() {
        JvmMetrics.builder().register(registry);
    }

    /**
     * A registry that nobody serves: for work that must run through the
     * counting code but never be counted (kvlds's start-up warm-up). It never
     * gets the JVM's series, which register listeners with the JVM that would
     * outlive the registry.
     */
    public static DaemonMetrics unserved(String daemon) {
        return new DaemonMetrics(daemon);
    }

    public PrometheusRegistry registry() {
        return registry;
    }

    /** A counter {@code kivaloo_<daemon>_<name>_total}, with optional label names. */
    public Counter counter(String name, String help, String... labels) {
        return Counter.builder().name(prefix + name).help(help).labelNames(labels).register(registry);
    }

    /** A gauge set by the daemon's own threads. */
    public Gauge gauge(String name, String help, String... labels) {
        return Gauge.builder().name(prefix + name).help(help).labelNames(labels).register(registry);
    }

    /**
     * A gauge read at scrape time; {@code value} runs on the HTTP thread, so
     * it must only read a field that its owner publishes safely (volatile,
     * atomic), never walk the owner's data structures.
     */
    public void gaugeReading(String name, String help, DoubleSupplier value) {
        GaugeWithCallback.builder().name(prefix + name).help(help)
                .callback(callback -> callback.call(value.getAsDouble())).register(registry);
    }

    /** A latency histogram in seconds, classic buckets (every Prometheus version reads them). */
    public Histogram latency(String name, String help, String... labels) {
        return Histogram.builder().name(prefix + name).help(help).unit(io.prometheus.metrics.model.snapshots.Unit.SECONDS)
                .labelNames(labels).classicOnly().classicUpperBounds(LATENCY_BUCKETS).register(registry);
    }
}
