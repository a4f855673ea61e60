package io.kivaloo.proto.kvlds;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * An immutable kvlds string: a key or a value of 0..255 bytes.
 *
 * <p>Keys order by unsigned byte-wise lexicographic comparison, a prefix
 * sorting before its extensions (kvlds.md §1). This is the one place that
 * order is defined; the B+tree, RANGE and every test model use it.
 * Equality and hash code are by content, unlike {@code byte[]} in records.
 */
public final class Key implements Comparable<Key> {

    /** Longest string the wire format can carry (a one-byte length). */
    public static final int MAX_LENGTH = 255;

    public static final Key EMPTY = new Key(new byte[0]);

    private final byte[] bytes;
    private int hash;

    private Key(byte[] bytes) {
        this.bytes = bytes;
    }

    /** Copies {@code bytes}; fails if longer than {@link #MAX_LENGTH}. */
    public static Key of(byte[] bytes) {
        return wrap(bytes.clone());
    }

    public static Key of(byte[] bytes, int offset, int length) {
        checkLength(length);
        return new Key(Arrays.copyOfRange(bytes, offset, offset + length));
    }

    /**
     * The UTF-8 bytes of {@code s}, for a key or a value. Fails if they are
     * more than {@link #MAX_LENGTH}: a non-ASCII character takes 2 to 4 bytes.
     * Unpaired surrogates become {@code ?}, as in {@link String#getBytes}.
     */
    public static Key of(String s) {
        byte[] bytes = s.getBytes(StandardCharsets.UTF_8);
        if (bytes.length > MAX_LENGTH) {
            throw new IllegalArgumentException("kvlds string length: " + bytes.length + " bytes in UTF-8 (expected: <= "
                    + MAX_LENGTH + ")");
        }
        return wrap(bytes);
    }

    /** Takes ownership of {@code bytes} without copying: the caller must not modify it afterwards. */
    public static Key wrap(byte[] bytes) {
        checkLength(bytes.length);
        return bytes.length == 0 ? EMPTY : new Key(bytes);
    }

    private static void checkLength(int length) {
        if (length < 0 || length > MAX_LENGTH) {
            throw new IllegalArgumentException("kvlds string length: " + length + " (expected: <= " + MAX_LENGTH + ")");
        }
    }

    public int length() {
        return bytes.length;
    }

    public boolean isEmpty() {
        return bytes.length == 0;
    }

    public byte byteAt(int index) {
        return bytes[index];
    }

    /**
     * The bytes decoded as UTF-8, the inverse of {@link #of(String)}. Bytes
     * that are not UTF-8 become U+FFFD, so the result need not encode back
     * to the same key: use the bytes themselves for keys of unknown origin.
     */
    public String toUtf8String() {
        return new String(bytes, StandardCharsets.UTF_8);
    }

    /** A copy of the bytes. */
    public byte[] toByteArray() {
        return bytes.clone();
    }

    /** Copies the bytes into {@code dst} at {@code offset}. */
    public void copyTo(byte[] dst, int offset) {
        System.arraycopy(bytes, 0, dst, offset, bytes.length);
    }

    /** The backing array, for codecs that write it out; callers must not modify it. */
    public byte[] unsafeBytes() {
        return bytes;
    }

    @Override
    public int compareTo(Key other) {
        return Arrays.compareUnsigned(bytes, other.bytes);
    }

    /** Compares with a key held in {@code other[offset, offset+length)} in unsigned order. */
    public int compareTo(byte[] other, int offset, int length) {
        return Arrays.compareUnsigned(bytes, 0, bytes.length, other, offset, offset + length);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Key && Arrays.equals(bytes, ((Key) o).bytes);
    }

    @Override
    public int hashCode() {
        int h = hash;
        if (h == 0) {
            h = Arrays.hashCode(bytes);
            hash = h;
        }
        return h;
    }

    /** Printable ASCII as is, anything else as {@code \xNN}; for logs at DEBUG and test failures. */
    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder(bytes.length + 2).append('"');
        for (byte b : bytes) {
            int c = b & 0xff;
            if (c >= 0x20 && c < 0x7f && c != '"' && c != '\\') {
                sb.append((char) c);
            } else {
                sb.append(String.format("\\x%02x", c));
            }
        }
        return sb.append('"').toString();
    }
}
