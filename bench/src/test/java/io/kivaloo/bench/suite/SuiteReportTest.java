package io.kivaloo.bench.suite;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class SuiteReportTest {

    @Test
    void tableHasOneRowPerFigureAndRatiosAboveOneWhenTheFirstChainIsFaster() {
        SuiteReport report = new SuiteReport(List.of("Java chain", "C chain"));
        SuiteReport.Row read = new SuiteReport.Row("random-read", "GETs/s", false);
        SuiteReport.Row tokyo = new SuiteReport.Row("tokyo", "s (1M SETs)", true);
        report.add(read, "Java chain", "150");
        report.add(read, "C chain", "100");
        report.add(tokyo, "Java chain", "2.000");
        report.add(tokyo, "C chain", "4.000");
        report.add(new SuiteReport.Row("hotspot-read", "GETs/s", false), "C chain", "7");
        String table = report.markdown("N = 8", List.of("cores: 2"));
        assertThat(table).contains("| benchmark | unit | Java chain | C chain | Java chain / C chain |")
                .contains("| random-read | GETs/s | 150 | 100 | 1.50 |")
                .contains("| tokyo | s (1M SETs) | 2.000 | 4.000 | 2.00 |")
                .contains("| hotspot-read | GETs/s | – | 7 | – |")
                .contains("- cores: 2");
    }

    @Test
    void severalRunsShowMediansTheirRatioAndEveryRunInOrder() {
        SuiteReport report = new SuiteReport(List.of("Java chain", "C chain"));
        SuiteReport.Row read = new SuiteReport.Row("random-read", "GETs/s", false);
        SuiteReport.Row tokyo = new SuiteReport.Row("tokyo", "s (1M SETs)", true);
        for (String figure : List.of("300", "100", "200")) {
            report.add(read, "Java chain", figure);
        }
        for (String figure : List.of("100", "120", "80")) {
            report.add(read, "C chain", figure);
        }
        for (String figure : List.of("1.000", "3.000")) {
            report.add(tokyo, "Java chain", figure);
        }
        for (String figure : List.of("4.000", "–", "4.500")) {
            report.add(tokyo, "C chain", figure);
        }
        String table = report.markdown("N = 8", List.of());
        assertThat(table)
                .contains("| benchmark | unit | Java chain (median) | C chain (median) | Java chain / C chain | Java chain runs | C chain runs |")
                .contains("| random-read | GETs/s | 200 | 100 | 2.00 | 300, 100, 200 | 100, 120, 80 |")
                .contains("| tokyo | s (1M SETs) | 2.000 | 4.250 | 2.12 | 1.000, 3.000 | 4.000, –, 4.500 |");
    }

    @Test
    void withThreeChainsTheFirstIsComparedWithEachOfTheOthers() {
        SuiteReport report = new SuiteReport(List.of("Java chain", "Java chain, metrics on", "Java chain on Java 25"));
        SuiteReport.Row read = new SuiteReport.Row("random-read", "GETs/s", false);
        report.add(read, "Java chain", "100");
        report.add(read, "Java chain, metrics on", "98");
        report.add(read, "Java chain on Java 25", "125");
        assertThat(report.markdown("N = 8", List.of()))
                .contains("| benchmark | unit | Java chain | Java chain, metrics on | Java chain on Java 25 "
                        + "| Java chain / Java chain, metrics on | Java chain / Java chain on Java 25 |")
                .contains("| random-read | GETs/s | 100 | 98 | 125 | 1.02 | 0.80 |");
    }

    @Test
    void medianIgnoresRunsWithoutAFigureAndIsAbsentWhenNoneHasOne() {
        assertThat(SuiteReport.median(List.of("5", "–", "1", "3"))).isEqualTo("3");
        assertThat(SuiteReport.median(List.of("–"))).isNull();
        assertThat(SuiteReport.median(List.of("10", "11"))).isEqualTo("10");
    }
}
