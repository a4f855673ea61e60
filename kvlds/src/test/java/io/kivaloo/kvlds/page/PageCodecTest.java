package io.kivaloo.kvlds.page;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.kivaloo.proto.kvlds.Key;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import java.util.TreeSet;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;

/** Page codec: round trips, the format's exact bytes, and corrupted pages rejected with a clear message. */
class PageCodecTest {

    private static final int B = 512;

    @Test
    void emptyRootIsTheOriginalsBytes() throws Exception {
        byte[] page = PageWriter.emptyRoot(B);
        assertThat(HexFormat.of().formatHex(page, 0, 18)).isEqualTo("4b564c4453000000800000000000000000" + "01");
        Page p = new PageValidator(B).parse(0, page, 1);
        assertThat(p.isRoot()).isTrue();
        assertThat(p.isLeaf()).isTrue();
        assertThat(p.nnodes()).isEqualTo(1);
        assertThat(p.size()).isEqualTo(18);
        assertThat(p.oldestLeaf()).isEqualTo(0);
    }

    @Test
    void leafLayoutIsKeysThenValues() throws Exception {
        byte[] page = new byte[B];
        int size = PageWriter.writeLeaf(page, 0, List.of(Key.of("a"), Key.of("bc")), List.of(Key.of("x"), Key.EMPTY), 0, 0);
        assertThat(size).isEqualTo(10 + 2 + 3 + 2 + 1);
        assertThat(HexFormat.of().formatHex(page, 0, size)).isEqualTo("4b564c44530000020000" + "0161" + "026263" + "0178" + "00");
    }

    @Test
    void parentLayoutHasTwentyByteDescriptors() throws Exception {
        byte[] page = new byte[B];
        int size = PageWriter.writeParent(page, 0, 1, List.of(Key.of("m")), new long[] {3, 4}, new long[] {3, 4},
                new int[] {100, 200}, 0, 7);
        assertThat(size).isEqualTo(10 + 8 + 2 + 40);
        assertThat(HexFormat.of().formatHex(page, 0, size)).isEqualTo("4b564c44530000018100" + "0000000000000007" + "016d"
                + "0000000000000003" + "0000000000000003" + "00000064"
                + "0000000000000004" + "0000000000000004" + "000000c8");
        ParentPage p = (ParentPage) new PageValidator(B).parse(5, page, 6);
        assertThat(p.childIndex(Key.of("l"))).isEqualTo(0);
        assertThat(p.childIndex(Key.of("m"))).isEqualTo(1);
        assertThat(p.oldestLeaf()).isEqualTo(3);
    }

    @Property(tries = 300)
    void leafRoundTrip(@ForAll long seed, @ForAll @IntRange(min = 0, max = 40) int n) throws Exception {
        Random random = new Random(seed);
        TreeSet<Key> keys = new TreeSet<>();
        while (keys.size() < n) {
            keys.add(randomKey(random, random.nextInt(12)));
        }
        List<Key> keyList = new ArrayList<>(keys);
        List<Key> values = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            values.add(randomKey(random, random.nextInt(5)));
        }
        byte[] page = new byte[B];
        boolean root = random.nextBoolean();
        PageWriter.writeLeaf(page, 0, keyList, values, 0, root ? 1 + random.nextInt(100) : 0);
        LeafPage leaf = (LeafPage) new PageValidator(B).parse(9, page, 10);
        assertThat(leaf.isRoot()).isEqualTo(root);
        for (int i = 0; i < n; i++) {
            assertThat(leaf.key(i)).isEqualTo(keyList.get(i));
            assertThat(leaf.value(i)).isEqualTo(values.get(i));
            assertThat(leaf.find(keyList.get(i))).isEqualTo(i);
        }
    }

    /** Any single corrupted byte in the meaningful part is either harmless or a CorruptPageException, never another error. */
    @Property(tries = 2000)
    void corruptedPagesFailCleanly(@ForAll long seed) {
        Random random = new Random(seed);
        byte[] page = samplePage(random);
        int position = random.nextInt(random.nextInt(4) == 0 ? B : 120);
        page[position] = (byte) random.nextInt(256);
        if (random.nextInt(5) == 0) {
            page[random.nextInt(B)] ^= (byte) (1 << random.nextInt(8));
        }
        try {
            Page p = new PageValidator(B).parse(100, page, 101);
            // A page that still parses is internally consistent: reading every key must work.
            for (int i = 0; i < p.keyCount(); i++) {
                p.key(i);
            }
        } catch (CorruptPageException e) {
            assertThat(e.getMessage()).startsWith("page corrupt block=100 field=");
        }
    }

    @Property(tries = 500)
    void randomBytesAreRejected(@ForAll long seed) {
        Random random = new Random(seed);
        byte[] page = new byte[B];
        random.nextBytes(page);
        if (random.nextBoolean()) {
            System.arraycopy(PageFormat.MAGIC, 0, page, 0, PageFormat.MAGIC.length);
        }
        assertThatThrownBy(() -> new PageValidator(B).parse(7, page, 8)).isInstanceOf(CorruptPageException.class);
    }

    @Test
    void tooManyKeysNamesTheField() {
        byte[] page = PageWriter.emptyRoot(B);
        page[6] = 0x01;
        page[7] = 0x2c; // 300 keys
        page[8] = 0; // non-root leaf
        assertThatThrownBy(() -> new PageValidator(B).parse(1234, page, 2000))
                .isInstanceOf(CorruptPageException.class)
                .hasMessage("page corrupt block=1234 field=nkeys expected<=251 got=300");
    }

    @Test
    void allZeroBlockIsCorrupt() {
        assertThatThrownBy(() -> new PageValidator(B).parse(3, new byte[B], 4))
                .hasMessageContaining("field=magic");
    }

    @Test
    void childNotOlderThanParentIsCorrupt() {
        byte[] page = new byte[B];
        PageWriter.writeParent(page, 0, 1, List.of(Key.of("m")), new long[] {3, 9}, new long[] {3, 9}, new int[] {10, 10}, 0, 0);
        assertThatThrownBy(() -> new PageValidator(B).parse(9, page, 10)).hasMessageContaining("field=child[1].block");
    }

    @Test
    void unsortedKeysAreCorrupt() {
        byte[] page = new byte[B];
        PageWriter.writeLeaf(page, 0, List.of(Key.of("b"), Key.of("a")), List.of(Key.EMPTY, Key.EMPTY), 0, 0);
        assertThatThrownBy(() -> new PageValidator(B).parse(1, page, 2)).hasMessageContaining("field=key[1]");
    }

    @Test
    void childOutsideParentRangeIsCorrupt() throws Exception {
        byte[] page = new byte[B];
        int size = PageWriter.writeLeaf(page, 0, List.of(Key.of("z")), List.of(Key.EMPTY), 0, 0);
        PageValidator v = new PageValidator(B);
        Page leaf = v.parse(4, page, 10);
        assertThatThrownBy(() -> v.check(leaf, new PageExpectation(5, 0, Key.of("a"), Key.of("m"), 4, size)))
                .hasMessageContaining("field=key[0]");
        assertThatThrownBy(() -> v.check(leaf, new PageExpectation(5, 1, null, null, 4, size))).hasMessageContaining("field=height");
        assertThatThrownBy(() -> v.check(leaf, new PageExpectation(5, 0, null, null, 3, size))).hasMessageContaining("field=oldestLeaf");
        assertThatThrownBy(() -> v.check(leaf, new PageExpectation(5, 0, null, null, 4, size + 1))).hasMessageContaining("field=size");
        assertThatThrownBy(() -> v.check(leaf, new PageExpectation(3, 0, null, null, 4, size))).hasMessageContaining("field=block");
    }

    private static byte[] samplePage(Random random) {
        byte[] page = new byte[B];
        if (random.nextBoolean()) {
            TreeSet<Key> keys = new TreeSet<>();
            int n = random.nextInt(10);
            while (keys.size() < n) {
                keys.add(randomKey(random, random.nextInt(10)));
            }
            List<Key> values = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                values.add(randomKey(random, random.nextInt(6)));
            }
            PageWriter.writeLeaf(page, 0, new ArrayList<>(keys), values, 0, random.nextBoolean() ? 5 : 0);
        } else {
            TreeSet<Key> keys = new TreeSet<>();
            int n = 1 + random.nextInt(5);
            while (keys.size() < n) {
                keys.add(randomKey(random, 1 + random.nextInt(6)));
            }
            long[] blocks = new long[n + 1];
            int[] sizes = new int[n + 1];
            for (int i = 0; i <= n; i++) {
                blocks[i] = 10 + i;
                sizes[i] = 10 + random.nextInt(400);
            }
            PageWriter.writeParent(page, 0, 1, new ArrayList<>(keys), blocks, blocks.clone(), sizes, 0, random.nextBoolean() ? 9 : 0);
        }
        return page;
    }

    private static Key randomKey(Random random, int length) {
        byte[] b = new byte[length];
        for (int i = 0; i < length; i++) {
            b[i] = (byte) random.nextInt(256);
        }
        return Key.wrap(b);
    }
}
