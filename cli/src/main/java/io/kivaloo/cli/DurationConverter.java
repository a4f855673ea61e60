package io.kivaloo.cli;

import picocli.CommandLine;

import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code --timeout}: a whole number with a unit, {@code ms}, {@code s} or
 * {@code m} ({@code 500ms}, {@code 10s}, {@code 1m}); more than zero. A bad
 * value is a usage error (exit 2).
 */
final class DurationConverter implements CommandLine.ITypeConverter<Duration> {

    private static final Pattern SYNTAX = Pattern.compile("([0-9]{1,9})(ms|s|m)");

    @Override
    public Duration convert(String value) {
        Matcher m = SYNTAX.matcher(value);
        if (!m.matches()) {
            throw new CommandLine.TypeConversionException(
                    "duration must be a number with ms, s or m (500ms, 10s, 1m) but was '" + value + "'");
        }
        long amount = Long.parseLong(m.group(1));
        if (amount == 0) {
            throw new CommandLine.TypeConversionException("duration must be more than zero but was '" + value + "'");
        }
        switch (m.group(2)) {
            case "ms":
                return Duration.ofMillis(amount);
            case "s":
                return Duration.ofSeconds(amount);
            default:
                return Duration.ofMinutes(amount);
        }
    }

    /** {@code d} as this converter's syntax, in the largest unit that is exact: 500ms, 10s, 1m. */
    static String format(Duration d) {
        long millis = d.toMillis();
        if (millis % 60_000 == 0) {
            return millis / 60_000 + "m";
        }
        if (millis % 1000 == 0) {
            return millis / 1000 + "s";
        }
        return millis + "ms";
    }
}
