package io.kivaloo.kvlds.page;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import java.util.Random;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;

/** The eight-at-a-time comparison orders byte ranges exactly as {@link Arrays#compareUnsigned} does. */
class UnsignedBytesTest {

    @Property(tries = 2000)
    void compareHasTheSignOfArraysCompareUnsigned(@ForAll long seed, @ForAll @IntRange(max = 40) int aLength,
                                                  @ForAll @IntRange(max = 40) int bLength) {
        Random random = new Random(seed);
        byte[] a = new byte[aLength + 7];
        byte[] b = new byte[bLength + 5];
        // Mostly equal bytes, so that mismatches land late, in the tail and at chunk edges.
        for (int i = 0; i < a.length; i++) {
            a[i] = (byte) (random.nextInt(4) == 0 ? random.nextInt(256) : 0x80);
        }
        for (int i = 0; i < b.length; i++) {
            b[i] = random.nextInt(3) == 0 ? (byte) random.nextInt(256) : i - 2 >= 0 && i - 2 < a.length ? a[i - 2] : 0;
        }
        int aFrom = random.nextInt(8);
        int bFrom = random.nextInt(6);
        int aTo = aFrom + random.nextInt(Math.max(1, a.length - aFrom + 1));
        int bTo = bFrom + random.nextInt(Math.max(1, b.length - bFrom + 1));
        int expected = Integer.signum(Arrays.compareUnsigned(a, aFrom, aTo, b, bFrom, bTo));
        assertThat(Integer.signum(UnsignedBytes.compare(a, aFrom, aTo, b, bFrom, bTo))).isEqualTo(expected);
        assertThat(Integer.signum(UnsignedBytes.compare(b, bFrom, bTo, a, aFrom, aTo))).isEqualTo(-expected);
        assertThat(UnsignedBytes.compare(a, aFrom, aTo, a, aFrom, aTo)).isZero();
    }
}
