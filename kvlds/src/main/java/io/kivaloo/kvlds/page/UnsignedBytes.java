package io.kivaloo.kvlds.page;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;

/**
 * Unsigned comparisons of short byte ranges, eight bytes at a time. Keys are
 * at most 255 bytes and what a page search compares is usually 8 to 32 of
 * them; {@code Arrays.mismatch} and {@code Arrays.compareUnsigned} are built
 * for long arrays, and their set-up (range checks, the vectorised path's
 * entry) shows at these lengths: the page search got 7 to 10 % faster
 * without them (PageSearchBenchmark).
 */
final class UnsignedBytes {

    private static final VarHandle BIG_ENDIAN_LONG = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.BIG_ENDIAN);

    private UnsignedBytes() {
    }

    /** Bytes {@code [from, from + 8)} of {@code b} as a big-endian long, zero past {@code end}. */
    static long longAt(byte[] b, int from, int end) {
        if (end - from >= Long.BYTES) {
            return (long) BIG_ENDIAN_LONG.get(b, from);
        }
        long v = 0;
        for (int i = 0; i < Long.BYTES; i++) {
            v = (v << 8) | (from + i < end ? b[from + i] & 0xff : 0);
        }
        return v;
    }

    /** As {@code Arrays.compareUnsigned(a, aFrom, aTo, b, bFrom, bTo)}: the sign of the unsigned order, then length. */
    static int compare(byte[] a, int aFrom, int aTo, byte[] b, int bFrom, int bTo) {
        int length = Math.min(aTo - aFrom, bTo - bFrom);
        int i = 0;
        for (; i + Long.BYTES <= length; i += Long.BYTES) {
            long x = (long) BIG_ENDIAN_LONG.get(a, aFrom + i);
            long y = (long) BIG_ENDIAN_LONG.get(b, bFrom + i);
            if (x != y) {
                return Long.compareUnsigned(x, y);
            }
        }
        for (; i < length; i++) {
            int x = a[aFrom + i] & 0xff;
            int y = b[bFrom + i] & 0xff;
            if (x != y) {
                return x - y;
            }
        }
        return (aTo - aFrom) - (bTo - bFrom);
    }
}
