package io.kivaloo.proto.daemon;

import picocli.CommandLine;

/**
 * Numeric options as the original parses them (libcperciva PARSENUM, i.e.
 * {@code strtoumax} with base 0, wire.md §6): decimal, {@code 0x} hex or
 * leading-zero octal, optional leading whitespace, nothing trailing. The
 * original test scripts pass such values; picocli's own converter takes
 * decimal only. Range checks with the original's messages are each
 * command's own. One converter for every daemon and tool.
 */
public final class CNumberConverter implements CommandLine.ITypeConverter<Long> {

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
