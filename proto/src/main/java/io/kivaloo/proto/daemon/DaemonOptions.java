package io.kivaloo.proto.daemon;

import io.kivaloo.proto.net.KivalooAddress;
import picocli.CommandLine.Option;

import java.nio.file.Path;

/**
 * Options every daemon takes (wire.md §6): a pid file, foreground mode,
 * where its log goes and in which format, and where its metrics are served. Mixed into each daemon's command with {@code @Mixin}.
 */
public final class DaemonOptions {

    @Option(names = {"-p", "--pidfile"}, paramLabel = "<pidfile>",
            description = "Write the daemon's pid here (default: the listening address followed by .pid).")
    Path pidFile;

    @Option(names = {"-F", "--foreground"},
            description = "Stay in the foreground (for supervisors and containers); the launcher then does not wait for readiness.")
    boolean foreground;

    @Option(names = "--log-file", paramLabel = "<file>",
            description = "Append log lines to this file instead of standard error.")
    Path logFile;

    @Option(names = "--log-level", paramLabel = "<level>", defaultValue = "warn",
            description = "One of error, warn, info, debug, trace (default: ${DEFAULT-VALUE}). Lifecycle events are info.")
    String logLevel;

    @Option(names = "--log-format", paramLabel = "<format>", defaultValue = "text",
            description = "text (one line per event) or json (one JSON object per line, for log shippers); default: ${DEFAULT-VALUE}.")
    String logFormat;

    @Option(names = "--metrics-listen", paramLabel = "<host:port>", converter = MetricsAddressConverter.class,
            description = "Serve GET /metrics (Prometheus text) and GET /health here over HTTP (default: off).")
    KivalooAddress.Tcp metricsListen;

    /** The pid file: the -p option, or {@code <defaultStem>.pid}. */
    public Path pidFile(String defaultStem) {
        return pidFile != null ? pidFile : Path.of(defaultStem + ".pid");
    }

    public boolean foreground() {
        return foreground;
    }

    public Path logFile() {
        return logFile;
    }

    public String logLevel() {
        return logLevel;
    }

    public String logFormat() {
        return logFormat;
    }

    /** The metrics address, or null when metrics are not served. */
    public KivalooAddress.Tcp metricsListen() {
        return metricsListen;
    }
}
