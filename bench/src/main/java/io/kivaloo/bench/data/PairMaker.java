package io.kivaloo.bench.data;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/**
 * The benchmark key/value pairs (lib/bench/mkpair.c; tests-and-bench.md §8.1).
 * Pair (X, Y) with Y in 0..65535:
 *
 * <pre>
 * key   (40 bytes) = be64(X)             || SHA-256(0x00 || be64(X) || be64(Y))
 * value (40 bytes) = be64(X·65536 + Y)   || SHA-256(0x00 || be64(X) || be64(Y))
 * </pre>
 *
 * The C header and BENCHMARKS say the value's hash input starts with 0x01; the
 * code writes 0x00, and the C data set is what we reproduce. Not thread-safe
 * (one digest per instance).
 */
public final class PairMaker {

    public static final int KEY_LENGTH = 40;
    public static final int VALUE_LENGTH = 40;
    public static final int RECORD_LENGTH = KEY_LENGTH + VALUE_LENGTH;
    /** Pairs per X: Y runs over 16 bits. */
    public static final int GROUP_SIZE = 65536;

    private static final int HASH_OFFSET = 8;

    private final MessageDigest sha256;
    private final byte[] input = new byte[17];

    public PairMaker() {
        try {
            sha256 = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required of every Java platform", e);
        }
    }

    /** Writes key(X, Y) to {@code out[offset, offset+40)}. */
    public void key(long x, long y, byte[] out, int offset) {
        putLong(out, offset, x);
        hash(x, y, out, offset + HASH_OFFSET);
    }

    /** Writes value(X, Y) to {@code out[offset, offset+40)}. */
    public void value(long x, long y, byte[] out, int offset) {
        putLong(out, offset, (x << 16) + y);
        hash(x, y, out, offset + HASH_OFFSET);
    }

    public byte[] key(long x, long y) {
        byte[] key = new byte[KEY_LENGTH];
        key(x, y, key, 0);
        return key;
    }

    private void hash(long x, long y, byte[] out, int offset) {
        input[0] = 0;
        putLong(input, 1, x);
        putLong(input, 9, y);
        sha256.update(input);
        try {
            sha256.digest(out, offset, 32);
        } catch (java.security.DigestException e) {
            throw new IllegalStateException("SHA-256 digest into a 32-byte slot failed", e);
        }
    }

    static void putLong(byte[] out, int offset, long v) {
        for (int i = 0; i < 8; i++) {
            out[offset + i] = (byte) (v >>> (56 - 8 * i));
        }
    }
}
