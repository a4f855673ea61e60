package io.kivaloo.mux;

import picocli.CommandLine;

/**
 * Numeric options as the original parses them (libcperciva PARSENUM,
 * {@code strtoumax} with base 0, wire.md §6): decimal, {@code 0x} hex or
 * leading-zero octal, optional leading whitespace, nothing trailing.
 * (lbs has the same converter; proto has none to share.)
 */
final class CNumberConverter implements CommandLine.ITypeConverter<Long> {

    @Override
    public Long convert(String value) {
        String digits = value.stripLeading();
        if (digits.isEmpty() || digits.startsWith("-") || digits.startsWith("+") || digits.startsWith("#")) {
            throw new CommandLine.TypeConversionException("'" + value + "' is not a number");
        }
        try {
            return Long.decode(digits);
        } catch (NumberFormatException e) {
            throw new CommandLine.TypeConversionException("'" + value + "' is not a number");
        }
    }
}
