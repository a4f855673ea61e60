package io.kivaloo.proto.metrics;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A strict reader of the Prometheus text exposition format 0.0.4, for tests:
 * every line must be a {@code # HELP}, a {@code # TYPE} with a known type,
 * another comment, or a sample {@code name{label="value",...} number}; every
 * sample's family must have had its {@code # TYPE}. Anything else fails with
 * the line number, so a test that scrapes {@code /metrics} also checks that a
 * Prometheus server could read it.
 */
public final class PrometheusText {

    private static final Pattern NAME = Pattern.compile("[a-zA-Z_:][a-zA-Z0-9_:]*");
    private static final Pattern SAMPLE = Pattern.compile(
            "([a-zA-Z_:][a-zA-Z0-9_:]*)(\\{(.*)\\})? ([^ ]+)( -?[0-9]+)?");
    private static final Pattern LABEL = Pattern.compile("([a-zA-Z_][a-zA-Z0-9_]*)=\"((?:[^\"\\\\]|\\\\[\\\\\"n])*)\"");
    private static final List<String> TYPES = List.of("counter", "gauge", "histogram", "summary", "untyped", "info", "stateset",
            "gaugehistogram", "unknown");
    private static final List<String> SUFFIXES = List.of("_total", "_created", "_bucket", "_count", "_sum", "_info");

    /** Sample key ({@code name{a="b",c="d"}} as written, or the bare name) to value, in order. */
    private final Map<String, Double> samples;
    private final Map<String, String> types;

    private PrometheusText(Map<String, Double> samples, Map<String, String> types) {
        this.samples = samples;
        this.types = types;
    }

    /** Parses a scrape; throws {@link IllegalArgumentException} naming the first bad line. */
    public static PrometheusText parse(String text) {
        Map<String, Double> samples = new LinkedHashMap<>();
        Map<String, String> types = new LinkedHashMap<>();
        String[] lines = text.split("\n", -1);
        for (int i = 0; i < lines.length; i++) {
            String line = lines[i];
            if (line.isEmpty()) {
                if (i != lines.length - 1) {
                    throw bad(i, line, "empty line");
                }
                continue;
            }
            if (line.startsWith("#")) {
                String[] words = line.split(" ", 4);
                if (words.length >= 4 && words[1].equals("TYPE")) {
                    if (!NAME.matcher(words[2]).matches() || !TYPES.contains(words[3])) {
                        throw bad(i, line, "bad TYPE");
                    }
                    types.put(words[2], words[3]);
                } else if (words.length >= 3 && words[1].equals("HELP") && !NAME.matcher(words[2]).matches()) {
                    throw bad(i, line, "bad HELP");
                }
                continue;
            }
            Matcher m = SAMPLE.matcher(line);
            if (!m.matches()) {
                throw bad(i, line, "not a sample");
            }
            String name = m.group(1);
            if (family(name, types) == null) {
                throw bad(i, line, "sample without a # TYPE for its family");
            }
            StringBuilder key = new StringBuilder(name);
            if (m.group(3) != null && !m.group(3).isEmpty()) {
                List<String> labels = new ArrayList<>();
                for (String pair : splitLabels(m.group(3), i, line)) {
                    if (!LABEL.matcher(pair).matches()) {
                        throw bad(i, line, "bad label " + pair);
                    }
                    labels.add(pair);
                }
                key.append('{').append(String.join(",", labels)).append('}');
            }
            double value;
            try {
                value = number(m.group(4));
            } catch (NumberFormatException e) {
                throw bad(i, line, "bad value");
            }
            if (samples.put(key.toString(), value) != null) {
                throw bad(i, line, "duplicate sample");
            }
        }
        return new PrometheusText(samples, types);
    }

    /** The value of the sample written exactly {@code key} (e.g. {@code kivaloo_kvlds_requests_total{type="set"}}), or null. */
    public Double value(String key) {
        return samples.get(key);
    }

    /** As {@link #value}, failing if absent. */
    public double require(String key) {
        Double value = samples.get(key);
        if (value == null) {
            throw new AssertionError("no sample " + key + " in scrape; samples: " + samples.keySet());
        }
        return value;
    }

    /** The declared type of a family, or null. */
    public String type(String family) {
        return types.get(family);
    }

    /** Every sample key, in scrape order. */
    public java.util.Set<String> keys() {
        return samples.keySet();
    }

    private static String family(String name, Map<String, String> types) {
        if (types.containsKey(name)) {
            return name;
        }
        for (String suffix : SUFFIXES) {
            if (name.endsWith(suffix) && types.containsKey(name.substring(0, name.length() - suffix.length()))) {
                return name.substring(0, name.length() - suffix.length());
            }
        }
        return null;
    }

    private static List<String> splitLabels(String text, int line, String whole) {
        List<String> out = new ArrayList<>();
        StringBuilder current = new StringBuilder();
        boolean quoted = false;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '\\' && quoted && i + 1 < text.length()) {
                current.append(c).append(text.charAt(++i));
                continue;
            }
            if (c == '"') {
                quoted = !quoted;
            }
            if (c == ',' && !quoted) {
                out.add(current.toString());
                current.setLength(0);
            } else {
                current.append(c);
            }
        }
        if (quoted) {
            throw bad(line, whole, "unterminated label value");
        }
        if (current.length() > 0) {
            out.add(current.toString());
        }
        return out;
    }

    private static double number(String text) {
        switch (text) {
            case "+Inf":
                return Double.POSITIVE_INFINITY;
            case "-Inf":
                return Double.NEGATIVE_INFINITY;
            case "NaN":
                return Double.NaN;
            default:
                return Double.parseDouble(text);
        }
    }

    private static IllegalArgumentException bad(int index, String line, String what) {
        return new IllegalArgumentException("line " + (index + 1) + ": " + what + ": " + line);
    }
}
