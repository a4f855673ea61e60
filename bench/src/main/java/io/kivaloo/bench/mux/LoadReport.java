package io.kivaloo.bench.mux;

import java.util.Locale;

/**
 * The markdown table MuxLoad ends with (mux/DESIGN.md "Measured figures"):
 * one row per run (direct, through mux, direct again) with the GET and the
 * SET quantiles in microseconds, throughput and mux's resident memory; then
 * what mux added at each quantile against the mean of the two direct runs
 * (the run order direct, mux, direct lets drift cancel out), and that mean
 * itself, so that the added figure can be checked by eye.
 *
 * <pre>
 * | run | GET p50 | GET p90 | GET p99 | GET p99.9 | SET p50 | SET p90 | SET p99 | SET p99.9 | req/s | mux RSS |
 * |---|---|---|---|---|---|---|---|---|---|---|
 * | direct | 52.0 | ... | 10001 | |
 * | mux | ... | 10002 | 98 MB |
 * | direct | ... | 9999 | |
 * | direct (mean) | ... | | |
 * | added by mux | +100.0 | ... | | |
 * </pre>
 */
final class LoadReport {

    /** One run's figures; {@code rssBytes} is mux's VmRSS at the end of the measured window, or -1 for a direct run. */
    record Run(String name, Quantiles gets, Quantiles sets, double requestsPerSecond, long rssBytes) {
    }

    private LoadReport() {
    }

    /** The table for the runs before, through and after mux. */
    static String table(Run direct1, Run viaMux, Run direct2) {
        StringBuilder out = new StringBuilder();
        out.append("| run |");
        for (String type : new String[] {"GET", "SET"}) {
            for (String q : Quantiles.NAMES) {
                out.append(' ').append(type).append(' ').append(q).append(" |");
            }
        }
        out.append(" req/s | mux RSS |\n|---|");
        out.append("---|".repeat(2 * Quantiles.NAMES.length + 2)).append('\n');
        for (Run r : new Run[] {direct1, viaMux, direct2}) {
            row(out, r.name(), r.gets(), r.sets(), "%.1f",
                    String.format(Locale.ROOT, "%.0f", r.requestsPerSecond()), megabytes(r.rssBytes()));
        }
        Quantiles directGets = Quantiles.mean(direct1.gets(), direct2.gets());
        Quantiles directSets = Quantiles.mean(direct1.sets(), direct2.sets());
        row(out, "direct (mean)", directGets, directSets, "%.1f", "", "");
        row(out, "added by " + viaMux.name(), viaMux.gets().minus(directGets), viaMux.sets().minus(directSets), "%+.1f", "", "");
        return out.toString();
    }

    private static void row(StringBuilder out, String name, Quantiles gets, Quantiles sets, String format,
                            String rate, String rss) {
        out.append("| ").append(name).append(" |");
        for (Quantiles q : new Quantiles[] {gets, sets}) {
            for (double v : q.values()) {
                out.append(' ').append(Double.isNaN(v) ? "-" : String.format(Locale.ROOT, format, v)).append(" |");
            }
        }
        out.append(' ').append(rate).append(" | ").append(rss).append(" |\n");
    }

    /** In MB of 10^6 bytes, as the target (RSS <= 100 MB) counts them; empty for a direct run. */
    private static String megabytes(long bytes) {
        return bytes < 0 ? "" : String.format(Locale.ROOT, "%.1f MB", bytes / 1e6);
    }
}
