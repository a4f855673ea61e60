package io.kivaloo.kvlds.page;

import static org.assertj.core.api.Assertions.assertThat;

import io.kivaloo.proto.kvlds.Key;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.TreeSet;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;

/**
 * The page's key search (shared prefix, abbreviated keys, ties) against a
 * binary search over the sorted keys with {@link Key#compareTo}. The keys are
 * made to hit the awkward cases: long shared prefixes, zero bytes where the
 * abbreviation pads with zeros, keys that are prefixes of each other, probes
 * shorter than the shared prefix or outside it.
 */
class PageSearchTest {

    private static final int B = 4096;

    @Property(tries = 500)
    void searchAgreesWithASortedList(@ForAll long seed, @ForAll @IntRange(min = 0, max = 60) int n) throws Exception {
        Random random = new Random(seed);
        byte[] prefix = randomBytes(random, random.nextInt(20));
        TreeSet<Key> keys = new TreeSet<>();
        while (keys.size() < n) {
            keys.add(awkwardKey(random, prefix));
        }
        List<Key> sorted = new ArrayList<>(keys);
        LeafPage leaf = leaf(sorted);
        List<Key> probes = new ArrayList<>(sorted);
        for (int i = 0; i < 200; i++) {
            probes.add(awkwardKey(random, prefix));
        }
        probes.add(Key.EMPTY);
        probes.add(Key.wrap(new byte[] {(byte) 0xff, (byte) 0xff}));
        for (Key probe : probes) {
            assertThat(leaf.lowerBound(probe)).as("lowerBound %s", probe).isEqualTo(lowerBound(sorted, probe));
            assertThat(leaf.upperBound(probe)).as("upperBound %s", probe).isEqualTo(upperBound(sorted, probe));
            assertThat(leaf.find(probe)).as("find %s", probe).isEqualTo(Collections.binarySearch(sorted, probe));
        }
    }

    /** Parents keep their abbreviations in an array; the search must agree with the leaves'. */
    @Property(tries = 300)
    void parentChildIndexAgreesWithASortedList(@ForAll long seed, @ForAll @IntRange(min = 1, max = 40) int n) throws Exception {
        Random random = new Random(seed);
        byte[] prefix = randomBytes(random, random.nextInt(20));
        TreeSet<Key> separators = new TreeSet<>();
        while (separators.size() < n) {
            separators.add(awkwardKey(random, prefix));
        }
        List<Key> sorted = new ArrayList<>(separators);
        ParentPage parent = parent(sorted);
        List<Key> probes = new ArrayList<>(sorted);
        for (int i = 0; i < 200; i++) {
            probes.add(awkwardKey(random, prefix));
        }
        probes.add(Key.EMPTY);
        for (Key probe : probes) {
            assertThat(parent.childIndex(probe)).as("childIndex %s", probe).isEqualTo(upperBound(sorted, probe));
            assertThat(parent.lowerBound(probe)).as("lowerBound %s", probe).isEqualTo(lowerBound(sorted, probe));
        }
    }

    @Test
    void zeroPaddingDoesNotConfuseAKeyWithItsZeroExtension() throws Exception {
        Key shorter = Key.wrap(new byte[] {7, 7, 1});
        Key zeroExtended = Key.wrap(new byte[] {7, 7, 1, 0});
        Key longer = Key.wrap(new byte[] {7, 7, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0});
        LeafPage leaf = leaf(List.of(shorter, zeroExtended, longer));
        assertThat(leaf.find(shorter)).isEqualTo(0);
        assertThat(leaf.find(zeroExtended)).isEqualTo(1);
        assertThat(leaf.find(longer)).isEqualTo(2);
        assertThat(leaf.find(Key.wrap(new byte[] {7, 7, 1, 0, 0}))).isEqualTo(-3);
        assertThat(leaf.lowerBound(Key.wrap(new byte[] {7, 7}))).isEqualTo(0);
        assertThat(leaf.upperBound(Key.wrap(new byte[] {7, 7, 2}))).isEqualTo(3);
    }

    private static LeafPage leaf(List<Key> keys) throws CorruptPageException {
        byte[] page = new byte[B];
        PageWriter.writeLeaf(page, 0, keys, Collections.nCopies(keys.size(), Key.EMPTY), 0, 0);
        return (LeafPage) new PageValidator(B).parse(1, page, 2);
    }

    private static ParentPage parent(List<Key> separators) throws CorruptPageException {
        byte[] page = new byte[B];
        int children = separators.size() + 1;
        long[] blocks = new long[children];
        long[] oldest = new long[children];
        int[] sizes = new int[children];
        for (int i = 0; i < children; i++) {
            blocks[i] = i;
            oldest[i] = i;
            sizes[i] = PageFormat.HEADER;
        }
        PageWriter.writeParent(page, 0, 1, separators, blocks, oldest, sizes, 0, 0);
        return (ParentPage) new PageValidator(B).parse(children, page, children + 1);
    }

    /** The prefix (or part of it), then short runs drawn mostly from {0, 1, 0xff}. */
    private static Key awkwardKey(Random random, byte[] prefix) {
        int keep = random.nextInt(8) == 0 ? random.nextInt(prefix.length + 1) : prefix.length;
        byte[] tail = new byte[random.nextInt(14)];
        for (int i = 0; i < tail.length; i++) {
            int pick = random.nextInt(4);
            tail[i] = pick == 0 ? 0 : pick == 1 ? 1 : pick == 2 ? (byte) 0xff : (byte) random.nextInt(256);
        }
        byte[] key = new byte[Math.min(Key.MAX_LENGTH, keep + tail.length)];
        System.arraycopy(prefix, 0, key, 0, keep);
        System.arraycopy(tail, 0, key, keep, key.length - keep);
        if (random.nextInt(10) == 0 && key.length > 0) {
            key[random.nextInt(key.length)] ^= (byte) (1 + random.nextInt(255)); // leave the prefix now and then
        }
        return Key.wrap(key);
    }

    private static byte[] randomBytes(Random random, int n) {
        byte[] b = new byte[n];
        random.nextBytes(b);
        return b;
    }

    private static int lowerBound(List<Key> sorted, Key key) {
        int i = 0;
        while (i < sorted.size() && sorted.get(i).compareTo(key) < 0) {
            i++;
        }
        return i;
    }

    private static int upperBound(List<Key> sorted, Key key) {
        int i = 0;
        while (i < sorted.size() && sorted.get(i).compareTo(key) <= 0) {
            i++;
        }
        return i;
    }
}
