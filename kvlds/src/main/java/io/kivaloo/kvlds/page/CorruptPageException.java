package io.kivaloo.kvlds.page;

/**
 * A page read from lbs is not a valid node where the tree expects one. The
 * message names block, field, expectation and finding:
 * {@code page corrupt block=1234 field=nkeys expected<=85 got=300}.
 * kvlds cannot go on from here (it would serve or free the wrong data), so
 * this is fatal.
 */
public final class CorruptPageException extends Exception {

    private static final long serialVersionUID = 1L;

    public CorruptPageException(long block, String field, String expected, Object got) {
        super("page corrupt block=" + Long.toUnsignedString(block) + " field=" + field + " expected" + expected + " got=" + got);
    }
}
