package io.kivaloo.kvlds;

import picocli.CommandLine;

/**
 * Size options (-C -c -k -v -g) in libcperciva's humansize syntax (wire.md §6):
 * decimal digits, an optional space, an optional SI prefix k M G T P E
 * (powers of 1000, so {@code 128M} is 128 000 000), an optional {@code B}.
 */
public final class HumanSizeConverter implements CommandLine.ITypeConverter<Long> {

    private static final String PREFIXES = "kMGTPE";

    @Override
    public Long convert(String value) {
        try {
            return parse(value);
        } catch (IllegalArgumentException e) {
            throw new CommandLine.TypeConversionException(e.getMessage());
        }
    }

    public static long parse(String text) {
        int i = 0;
        while (i < text.length() && text.charAt(i) >= '0' && text.charAt(i) <= '9') {
            i++;
        }
        if (i == 0) {
            throw new IllegalArgumentException("not a size: '" + text + "' (expected: digits, then optionally k, M, G, T, P or E, then optionally B)");
        }
        long number;
        try {
            number = Long.parseLong(text.substring(0, i));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("size too large: '" + text + "'");
        }
        if (i < text.length() && text.charAt(i) == ' ') {
            i++;
        }
        long multiplier = 1;
        if (i < text.length() && PREFIXES.indexOf(text.charAt(i)) >= 0) {
            for (int p = PREFIXES.indexOf(text.charAt(i)); p >= 0; p--) {
                multiplier *= 1000;
            }
            i++;
        }
        if (i < text.length() && text.charAt(i) == 'B') {
            i++;
        }
        if (i != text.length()) {
            throw new IllegalArgumentException("not a size: '" + text + "' (expected: digits, then optionally k, M, G, T, P or E, then optionally B)");
        }
        try {
            return Math.multiplyExact(number, multiplier);
        } catch (ArithmeticException e) {
            throw new IllegalArgumentException("size too large: '" + text + "'");
        }
    }
}
