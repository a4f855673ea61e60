package io.kivaloo.bench.mux;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** The table MuxLoad prints, with the added row worked out by hand. */
class LoadReportTest {

    @Test
    void tableHasEachRunTheDirectMeanAndWhatMuxAddedAtEachQuantile() {
        LoadReport.Run direct1 = new LoadReport.Run("direct", new Quantiles(10, 20, 30, 40),
                new Quantiles(500, 800, 2000, 4000), 10001.4, -1);
        LoadReport.Run viaMux = new LoadReport.Run("mux", new Quantiles(40, 70, 130, 1000),
                new Quantiles(700, 1000, 2600, 4400), 9998.6, 98_765_432);
        LoadReport.Run direct2 = new LoadReport.Run("direct", new Quantiles(14, 22, 38, 60),
                new Quantiles(600, 900, 2200, 5000), 10000, -1);

        // GETs: mean (12, 21, 34, 50), added (28, 49, 96, 950);
        // SETs: mean (550, 850, 2100, 4500), added (150, 150, 500, -100): mux faster at p99.9 shows as such.
        assertThat(LoadReport.table(direct1, viaMux, direct2)).isEqualTo(""
                + "| run | GET p50 | GET p90 | GET p99 | GET p99.9 | SET p50 | SET p90 | SET p99 | SET p99.9 | req/s | mux RSS |\n"
                + "|---|---|---|---|---|---|---|---|---|---|---|\n"
                + "| direct | 10.0 | 20.0 | 30.0 | 40.0 | 500.0 | 800.0 | 2000.0 | 4000.0 | 10001 |  |\n"
                + "| mux | 40.0 | 70.0 | 130.0 | 1000.0 | 700.0 | 1000.0 | 2600.0 | 4400.0 | 9999 | 98.8 MB |\n"
                + "| direct | 14.0 | 22.0 | 38.0 | 60.0 | 600.0 | 900.0 | 2200.0 | 5000.0 | 10000 |  |\n"
                + "| direct (mean) | 12.0 | 21.0 | 34.0 | 50.0 | 550.0 | 850.0 | 2100.0 | 4500.0 |  |  |\n"
                + "| added by mux | +28.0 | +49.0 | +96.0 | +950.0 | +150.0 | +150.0 | +500.0 | -100.0 |  |  |\n");
    }

    @Test
    void aTypeWithoutSamplesShowsDashes() {
        Quantiles none = Quantiles.ofNanos(new long[0]);
        LoadReport.Run run = new LoadReport.Run("direct", new Quantiles(1, 2, 3, 4), none, 5, -1);
        String table = LoadReport.table(run, new LoadReport.Run("mux", new Quantiles(2, 3, 4, 5), none, 5, 1_000_000), run);
        assertThat(table).contains("| added by mux | +1.0 | +1.0 | +1.0 | +1.0 | - | - | - | - |  |  |\n");
    }
}
