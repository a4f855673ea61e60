package io.kivaloo.bench.suite;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The suite's figures as a markdown table for docs/benchmarks.md: one row per
 * figure, one column per chain, and the ratio of the first chain to each
 * other chain where both ran (for tokyo, which prints seconds, the ratio is inverted so
 * that above 1 always means the first chain is faster). With several runs a
 * chain's cell is the median of its runs, the ratio is that of the medians,
 * and one more column per chain lists every run's figure in run order, so a
 * reader sees the spread the median hides.
 */
public final class SuiteReport {

    /** One figure: a workload's printed value under one chain. */
    public record Row(String benchmark, String unit, boolean lowerIsBetter) {
    }

    private final List<String> chains;
    private final Map<Row, Map<String, List<String>>> figures = new LinkedHashMap<>();

    public SuiteReport(List<String> chains) {
        this.chains = List.copyOf(chains);
    }

    /** Adds one run's figure; a chain's figures for a row keep the order they came in. */
    public void add(Row row, String chain, String figure) {
        figures.computeIfAbsent(row, r -> new LinkedHashMap<>()).computeIfAbsent(chain, c -> new ArrayList<>()).add(figure);
    }

    public String markdown(String heading, List<String> notes) {
        StringBuilder sb = new StringBuilder();
        sb.append("### ").append(heading).append("\n\n");
        for (String note : notes) {
            sb.append("- ").append(note).append('\n');
        }
        sb.append('\n');
        boolean severalRuns = figures.values().stream().flatMap(m -> m.values().stream()).anyMatch(l -> l.size() > 1);
        List<String> header = new ArrayList<>(List.of("benchmark", "unit"));
        for (String chain : chains) {
            header.add(severalRuns ? chain + " (median)" : chain);
        }
        for (int i = 1; i < chains.size(); i++) {
            header.add(chains.get(0) + " / " + chains.get(i));
        }
        if (severalRuns) {
            for (String chain : chains) {
                header.add(chain + " runs");
            }
        }
        sb.append("| ").append(String.join(" | ", header)).append(" |\n");
        sb.append("|").append("---|".repeat(header.size())).append('\n');
        for (var entry : figures.entrySet()) {
            Row row = entry.getKey();
            List<String> cells = new ArrayList<>(List.of(row.benchmark(), row.unit()));
            List<String> medians = new ArrayList<>();
            for (String chain : chains) {
                String median = median(entry.getValue().getOrDefault(chain, List.of()));
                medians.add(median);
                cells.add(median == null ? "–" : median);
            }
            for (int i = 1; i < chains.size(); i++) {
                cells.add(ratio(medians.get(0), medians.get(i), row.lowerIsBetter()));
            }
            if (severalRuns) {
                for (String chain : chains) {
                    List<String> runs = entry.getValue().getOrDefault(chain, List.of());
                    cells.add(runs.isEmpty() ? "–" : String.join(", ", runs));
                }
            }
            sb.append("| ").append(String.join(" | ", cells)).append(" |\n");
        }
        return sb.toString();
    }

    /**
     * The median of the figures that are numbers (a run that printed nothing
     * counts as missing, not as zero), at the precision they were printed
     * with; the mean of the middle two for an even count. Null if none is.
     */
    static String median(List<String> figures) {
        List<BigDecimal> numbers = new ArrayList<>();
        int scale = 0;
        for (String figure : figures) {
            BigDecimal number = number(figure);
            if (number != null) {
                numbers.add(number);
                scale = Math.max(scale, number.scale());
            }
        }
        if (numbers.isEmpty()) {
            return null;
        }
        numbers.sort(null);
        int n = numbers.size();
        BigDecimal median = n % 2 == 1 ? numbers.get(n / 2)
                : numbers.get(n / 2 - 1).add(numbers.get(n / 2)).divide(BigDecimal.valueOf(2), scale, RoundingMode.HALF_EVEN);
        return median.setScale(scale, RoundingMode.HALF_EVEN).toPlainString();
    }

    static String ratio(String first, String second, boolean lowerIsBetter) {
        BigDecimal a = number(first);
        BigDecimal b = number(second);
        if (a == null || b == null) {
            return "–";
        }
        BigDecimal numerator = lowerIsBetter ? b : a;
        BigDecimal denominator = lowerIsBetter ? a : b;
        if (denominator.signum() == 0) {
            return "–";
        }
        return numerator.divide(denominator, 2, RoundingMode.HALF_EVEN).toPlainString();
    }

    private static BigDecimal number(String figure) {
        if (figure == null) {
            return null;
        }
        try {
            return new BigDecimal(figure);
        } catch (NumberFormatException e) {
            return null; // "–": the run printed no figure
        }
    }
}
