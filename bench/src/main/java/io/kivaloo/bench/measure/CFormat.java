package io.kivaloo.bench.measure;

import java.math.BigDecimal;
import java.math.RoundingMode;

/**
 * C's {@code %0W.Pf} for non-negative doubles, digit for digit: glibc rounds
 * the exact binary value to P decimals, ties to even. Java's Formatter rounds
 * a shortest decimal representation instead, which differs in rare cases.
 */
public final class CFormat {

    private CFormat() {
    }

    /** {@code printf("%.<decimals>f", value)}. */
    public static String fixed(double value, int decimals) {
        if (Double.isNaN(value) || Double.isInfinite(value)) {
            return Double.isNaN(value) ? "nan" : (value > 0 ? "inf" : "-inf");
        }
        return new BigDecimal(value).setScale(decimals, RoundingMode.HALF_EVEN).toPlainString();
    }

    /** {@code printf("%0<width>.<decimals>f", value)} for a non-negative value. */
    public static String zeroPadded(double value, int width, int decimals) {
        return padLeft(fixed(value, decimals), width);
    }

    /** {@code printf("%0<width>zu", value)}. */
    public static String zeroPadded(long value, int width) {
        return padLeft(Long.toUnsignedString(value), width);
    }

    private static String padLeft(String digits, int width) {
        if (digits.length() >= width) {
            return digits;
        }
        StringBuilder sb = new StringBuilder(width);
        for (int i = digits.length(); i < width; i++) {
            sb.append('0');
        }
        return sb.append(digits).toString();
    }
}
