package io.kivaloo.bench;

import picocli.CommandLine;

/**
 * Parses N as the C programs do (strtoumax with base 0): decimal, {@code 0x}
 * hexadecimal or leading-0 octal, unsigned.
 */
public final class CNumberConverter implements CommandLine.ITypeConverter<Long> {

    @Override
    public Long convert(String value) {
        try {
            String s = value.trim();
            if (s.startsWith("-")) {
                throw new NumberFormatException("negative");
            }
            if (s.startsWith("0x") || s.startsWith("0X")) {
                return Long.parseUnsignedLong(s.substring(2), 16);
            }
            if (s.length() > 1 && s.startsWith("0")) {
                return Long.parseUnsignedLong(s.substring(1), 8);
            }
            return Long.parseUnsignedLong(s);
        } catch (NumberFormatException e) {
            throw new CommandLine.TypeConversionException("Invalid value for N: " + value);
        }
    }
}
