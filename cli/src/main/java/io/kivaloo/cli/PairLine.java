package io.kivaloo.cli;

import io.kivaloo.proto.kvlds.Key;

/**
 * The text form of one pair, as {@code range} prints and {@code load} reads
 * it: the key, one TAB, the value, each in the chosen {@link Encoding}. No
 * encoding writes a TAB, so the first TAB is the separator and a second one
 * is an error.
 */
final class PairLine {

    static final char SEPARATOR = '\t';

    private PairLine() {
    }

    static String format(Encoding encoding, Key key, Key value) {
        return encoding.encode(key.unsafeBytes()) + SEPARATOR + encoding.encode(value.unsafeBytes());
    }

    /** The key's and the value's bytes of {@code line} (without its newline). */
    static byte[][] parse(Encoding encoding, String line) throws BadInputException {
        int tab = line.indexOf(SEPARATOR);
        if (tab < 0) {
            throw new BadInputException("no TAB (expected: key<TAB>value)");
        }
        if (line.indexOf(SEPARATOR, tab + 1) >= 0) {
            throw new BadInputException("more than one TAB (expected: key<TAB>value; in utf8 a TAB is \\x09)");
        }
        return new byte[][] {decode(encoding, "key", line.substring(0, tab)), decode(encoding, "value", line.substring(tab + 1))};
    }

    private static byte[] decode(Encoding encoding, String label, String text) throws BadInputException {
        try {
            return encoding.decode(text);
        } catch (BadInputException e) {
            throw new BadInputException(label + ": " + e.getMessage());
        }
    }
}
