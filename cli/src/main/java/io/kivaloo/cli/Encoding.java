package io.kivaloo.cli;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Locale;

/**
 * How kivaloo-cli writes keys and values as text ({@code --encoding}), in
 * arguments, in {@code range} and {@code get} output and in {@code load}
 * input. Keys and values are byte strings; every encoding maps every byte
 * string to text and back exactly: {@code decode(encode(b))} equals {@code b}
 * for every {@code b}. No encoding ever writes a TAB, a newline or a carriage
 * return, so a {@code key<TAB>value} line is unambiguous.
 *
 * <ul>
 *   <li><b>utf8</b> (the default). Output: the bytes are read from the left
 *   as UTF-8. A well-formed sequence (Unicode 3-7: shortest form, no
 *   surrogates, at most U+10FFFF) whose code point is printable is written
 *   as that character. Every other byte is written as {@code \xNN}, two
 *   lower-case hex digits, one escape per byte: bytes that are not valid
 *   UTF-8, and every byte of a character that is not printable. Not
 *   printable: the backslash (it starts escapes), and the general categories
 *   Cc (controls, so TAB, LF, CR, DEL), Cf (format), Cs, Co (private use),
 *   Cn (unassigned in the JDK's Unicode version), Zl and Zp (line and
 *   paragraph separators). The space is printable.
 *   Input: {@code \xNN} (either case) is the byte NN; any other backslash is
 *   an error (write a backslash as {@code \x5c}); every other character is
 *   its UTF-8 bytes.</li>
 *   <li><b>hex</b>: two hex digits per byte; output lower case, input either
 *   case; an odd length or a non-hex character is an error.</li>
 *   <li><b>base64</b>: RFC 4648 §4 (alphabet {@code A-Za-z0-9+/}), padded
 *   with {@code =} on output, padding optional on input.</li>
 * </ul>
 * The empty byte string is the empty text in every encoding.
 */
enum Encoding {

    UTF8("utf8") {
        @Override
        String encode(byte[] bytes) {
            StringBuilder text = new StringBuilder(bytes.length + 8);
            int i = 0;
            while (i < bytes.length) {
                int length = wellFormedLength(bytes, i);
                if (length > 0) {
                    int codePoint = codePoint(bytes, i, length);
                    if (isPrintable(codePoint)) {
                        text.appendCodePoint(codePoint);
                        i += length;
                        continue;
                    }
                }
                // Not printable as a character: escape this one byte and look again at the next.
                appendEscape(text, bytes[i]);
                i++;
            }
            return text.toString();
        }

        @Override
        byte[] decode(String text) throws BadInputException {
            ByteArrayOutputStream bytes = new ByteArrayOutputStream(text.length() + 8);
            int i = 0;
            while (i < text.length()) {
                char c = text.charAt(i);
                if (c == '\\') {
                    bytes.write(escapedByte(text, i));
                    i += ESCAPE_LENGTH;
                    continue;
                }
                int codePoint = text.codePointAt(i);
                if (Character.getType(codePoint) == Character.SURROGATE) {
                    throw new BadInputException("utf8 text has a lone surrogate U+" + hex4(codePoint)
                            + " at position " + i + " (expected: characters or \\xNN escapes)");
                }
                byte[] utf8 = new String(Character.toChars(codePoint)).getBytes(StandardCharsets.UTF_8);
                bytes.write(utf8, 0, utf8.length);
                i += Character.charCount(codePoint);
            }
            return bytes.toByteArray();
        }
    },

    HEX("hex") {
        @Override
        String encode(byte[] bytes) {
            return HexFormat.of().formatHex(bytes);
        }

        @Override
        byte[] decode(String text) throws BadInputException {
            if (text.length() % 2 != 0) {
                throw new BadInputException("hex text has odd length " + text.length() + " (expected: two digits per byte)");
            }
            for (int i = 0; i < text.length(); i++) {
                if (!isHexDigit(text.charAt(i))) {
                    throw new BadInputException("hex text has '" + text.charAt(i) + "' at position " + i
                            + " (expected: 0-9, a-f or A-F)");
                }
            }
            return HexFormat.of().parseHex(text);
        }
    },

    BASE64("base64") {
        @Override
        String encode(byte[] bytes) {
            return Base64.getEncoder().encodeToString(bytes);
        }

        @Override
        byte[] decode(String text) throws BadInputException {
            try {
                return Base64.getDecoder().decode(text);
            } catch (IllegalArgumentException e) {
                throw new BadInputException("base64 text '" + text + "' is not valid: " + e.getMessage());
            }
        }
    };

    /** {@code \xNN}: a backslash, an x and two hex digits. */
    static final int ESCAPE_LENGTH = 4;

    private final String label;

    Encoding(String label) {
        this.label = label;
    }

    /** The bytes as text in this encoding. */
    abstract String encode(byte[] bytes);

    /** The bytes {@code text} stands for; fails on text this encoding never writes (but see utf8's input). */
    abstract byte[] decode(String text) throws BadInputException;

    /** The name {@code --encoding} takes. */
    String label() {
        return label;
    }

    /** The encoding named {@code name} (utf8 also as utf-8, any case). */
    static Encoding named(String name) {
        String lower = name.toLowerCase(Locale.ROOT);
        if (lower.equals("utf-8")) {
            return UTF8;
        }
        for (Encoding encoding : values()) {
            if (encoding.label.equals(lower)) {
                return encoding;
            }
        }
        throw new IllegalArgumentException("encoding must be utf8, hex or base64 but was '" + name + "'");
    }

    @Override
    public String toString() {
        return label;
    }

    // ---- utf8 output: which byte sequences are printed as characters

    /**
     * Length of the well-formed UTF-8 sequence starting at {@code i} (Unicode
     * Table 3-7), or 0 if the bytes there are not one. Checking the second
     * byte's range for E0, ED, F0 and F4 excludes overlong forms, surrogates
     * and code points above U+10FFFF, so a sequence accepted here is exactly
     * what encoding its code point gives back: the round trip holds.
     */
    private static int wellFormedLength(byte[] bytes, int i) {
        int b0 = bytes[i] & 0xff;
        if (b0 <= 0x7f) {
            return 1;
        }
        int length;
        int secondLow = 0x80;
        int secondHigh = 0xbf;
        if (b0 >= 0xc2 && b0 <= 0xdf) {
            length = 2;
        } else if (b0 >= 0xe0 && b0 <= 0xef) {
            length = 3;
            if (b0 == 0xe0) {
                secondLow = 0xa0;
            } else if (b0 == 0xed) {
                secondHigh = 0x9f;
            }
        } else if (b0 >= 0xf0 && b0 <= 0xf4) {
            length = 4;
            if (b0 == 0xf0) {
                secondLow = 0x90;
            } else if (b0 == 0xf4) {
                secondHigh = 0x8f;
            }
        } else {
            return 0;
        }
        if (i + length > bytes.length) {
            return 0;
        }
        int b1 = bytes[i + 1] & 0xff;
        if (b1 < secondLow || b1 > secondHigh) {
            return 0;
        }
        for (int k = 2; k < length; k++) {
            int b = bytes[i + k] & 0xff;
            if (b < 0x80 || b > 0xbf) {
                return 0;
            }
        }
        return length;
    }

    private static int codePoint(byte[] bytes, int i, int length) {
        int b0 = bytes[i] & 0xff;
        if (length == 1) {
            return b0;
        }
        int codePoint = b0 & (0xff >> (length + 1));
        for (int k = 1; k < length; k++) {
            codePoint = (codePoint << 6) | (bytes[i + k] & 0x3f);
        }
        return codePoint;
    }

    private static boolean isPrintable(int codePoint) {
        if (codePoint == '\\') {
            return false;
        }
        switch (Character.getType(codePoint)) {
            case Character.CONTROL:
            case Character.FORMAT:
            case Character.SURROGATE:
            case Character.PRIVATE_USE:
            case Character.UNASSIGNED:
            case Character.LINE_SEPARATOR:
            case Character.PARAGRAPH_SEPARATOR:
                return false;
            default:
                return true;
        }
    }

    private static void appendEscape(StringBuilder text, byte b) {
        text.append("\\x").append(Character.forDigit((b >> 4) & 0xf, 16)).append(Character.forDigit(b & 0xf, 16));
    }

    // ---- utf8 input

    /** The byte of the {@code \xNN} escape at {@code i}. */
    private static int escapedByte(String text, int i) throws BadInputException {
        if (i + ESCAPE_LENGTH > text.length() || text.charAt(i + 1) != 'x'
                || !isHexDigit(text.charAt(i + 2)) || !isHexDigit(text.charAt(i + 3))) {
            String found = text.substring(i, Math.min(text.length(), i + ESCAPE_LENGTH));
            throw new BadInputException("utf8 text has '" + found + "' at position " + i
                    + " (expected: \\xNN with two hex digits; write a backslash as \\x5c)");
        }
        return Character.digit(text.charAt(i + 2), 16) * 16 + Character.digit(text.charAt(i + 3), 16);
    }

    /** ASCII hex digits only: Character.digit also accepts full-width and other scripts' digits. */
    private static boolean isHexDigit(char c) {
        return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
    }

    private static String hex4(int codePoint) {
        return String.format(Locale.ROOT, "%04X", codePoint);
    }
}
