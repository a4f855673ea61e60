package io.kivaloo.bench.suite;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The suite's figures as a markdown table for docs/benchmarks.md: one row per
 * figure, one column per chain, and the ratio of the first chain to the second
 * where both ran (for tokyo, which prints seconds, the ratio is inverted so
 * that above 1 always means the first chain is faster).
 */
public final class SuiteReport {

    /** One figure: a workload's printed value under one chain. */
    public record Row(String benchmark, String unit, boolean lowerIsBetter) {
    }

    private final List<String> chains;
    private final Map<Row, Map<String, String>> figures = new LinkedHashMap<>();

    public SuiteReport(List<String> chains) {
        this.chains = List.copyOf(chains);
    }

    public void add(Row row, String chain, String figure) {
        figures.computeIfAbsent(row, r -> new LinkedHashMap<>()).put(chain, figure);
    }

    public String markdown(String heading, List<String> notes) {
        StringBuilder sb = new StringBuilder();
        sb.append("### ").append(heading).append("\n\n");
        for (String note : notes) {
            sb.append("- ").append(note).append('\n');
        }
        sb.append('\n');
        List<String> header = new ArrayList<>(List.of("benchmark", "unit"));
        header.addAll(chains);
        boolean ratio = chains.size() == 2;
        if (ratio) {
            header.add(chains.get(0) + " / " + chains.get(1));
        }
        sb.append("| ").append(String.join(" | ", header)).append(" |\n");
        sb.append("|").append("---|".repeat(header.size())).append('\n');
        for (var entry : figures.entrySet()) {
            Row row = entry.getKey();
            List<String> cells = new ArrayList<>(List.of(row.benchmark(), row.unit()));
            for (String chain : chains) {
                cells.add(entry.getValue().getOrDefault(chain, "–"));
            }
            if (ratio) {
                cells.add(ratio(entry.getValue().get(chains.get(0)), entry.getValue().get(chains.get(1)), row.lowerIsBetter()));
            }
            sb.append("| ").append(String.join(" | ", cells)).append(" |\n");
        }
        return sb.toString();
    }

    static String ratio(String first, String second, boolean lowerIsBetter) {
        if (first == null || second == null) {
            return "–";
        }
        try {
            BigDecimal a = new BigDecimal(first);
            BigDecimal b = new BigDecimal(second);
            BigDecimal numerator = lowerIsBetter ? b : a;
            BigDecimal denominator = lowerIsBetter ? a : b;
            if (denominator.signum() == 0) {
                return "–";
            }
            return numerator.divide(denominator, 2, RoundingMode.HALF_EVEN).toPlainString();
        } catch (NumberFormatException e) {
            return "–";
        }
    }
}
