package io.kivaloo.kvlds.page;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import io.kivaloo.proto.kvlds.Key;
import io.kivaloo.proto.wire.AllocationMeter;

import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Coverage-guided fuzzing (Jazzer) of {@link PageValidator}: any block is a
 * page or a {@link CorruptPageException}, nothing else is thrown, parsing
 * allocates no more than a small multiple of the block, and every accessor
 * of a page that passed works (a key found by its own value, every child
 * descriptor readable), so that nothing the validator lets through can throw
 * later inside the tree. Inputs are raw bytes, or valid leaves and parents
 * that the fuzzer then damages (bit flips, bytes set at offsets it picks), so
 * that the checks behind the magic and the counts are reached.
 */
class PageValidatorFuzzTest {

    private static final int BLOCK_SIZE = 512;
    private static final long BLOCK = 100;
    private static final long NEXT_BLOCK = 101;

    @FuzzTest
    void anyBlockIsAPageOrACorruptPageException(FuzzedDataProvider data) {
        byte[] block = data.consumeBoolean() ? damagedPage(data) : rawBlock(data);
        Key probe = Key.of(data.consumeBytes(Key.MAX_LENGTH));
        Page page = parse(block);
        // Measured on a second parse: the first loads the classes this input reaches, which allocates.
        AllocationMeter meter = AllocationMeter.start();
        parse(block);
        assertThat(meter.allocated()).as("bytes allocated to parse one block").isLessThanOrEqualTo(64L * BLOCK_SIZE + (1 << 20));
        if (page != null) {
            walk(page, probe);
        }
    }

    /** The page, or null for a {@link CorruptPageException}. */
    private static Page parse(byte[] block) {
        try {
            return new PageValidator(BLOCK_SIZE).parse(BLOCK, block, NEXT_BLOCK);
        } catch (CorruptPageException corrupt) {
            return null;
        }
    }

    /** Every accessor of a page that passed validation. */
    private static void walk(Page page, Key probe) {
        for (int i = 0; i < page.keyCount(); i++) {
            Key key = page.key(i);
            assertThat(page.compareKey(i, key)).isZero();
            if (page.isLeaf()) {
                LeafPage leaf = (LeafPage) page;
                assertThat(leaf.find(key)).as("find key[%d]", i).isEqualTo(i);
                leaf.value(i);
                leaf.pairSize(i);
            }
        }
        page.lowerBound(probe);
        page.upperBound(probe);
        if (!page.isLeaf()) {
            ParentPage parent = (ParentPage) page;
            for (int c = 0; c < parent.childCount(); c++) {
                assertThat(Long.compareUnsigned(parent.childBlock(c), NEXT_BLOCK)).isNegative();
                parent.childOldestLeaf(c);
                parent.childSize(c);
            }
            assertThat(parent.childIndex(probe)).isBetween(0, parent.childCount() - 1);
        }
    }

    private static byte[] rawBlock(FuzzedDataProvider data) {
        byte[] block = new byte[BLOCK_SIZE];
        byte[] head = data.consumeBytes(BLOCK_SIZE);
        System.arraycopy(head, 0, block, 0, head.length);
        if (data.consumeBoolean()) {
            System.arraycopy(PageFormat.MAGIC, 0, block, 0, PageFormat.MAGIC.length);
        }
        return block;
    }

    /** A valid leaf or parent of fuzzer-chosen keys, then up to four damages. */
    private static byte[] damagedPage(FuzzedDataProvider data) {
        byte[] block = new byte[BLOCK_SIZE];
        TreeSet<Key> keys = new TreeSet<>();
        int wanted = data.consumeInt(0, 8); // few and short enough that a parent of 9 children fits 512 bytes
        for (int i = 0; i < wanted; i++) {
            keys.add(Key.of(data.consumeBytes(data.consumeInt(0, 16))));
        }
        List<Key> sorted = new ArrayList<>(keys);
        boolean root = data.consumeBoolean();
        if (data.consumeBoolean() && !sorted.isEmpty()) {
            int children = sorted.size() + 1;
            long[] blocks = new long[children];
            int[] sizes = new int[children];
            for (int c = 0; c < children; c++) {
                blocks[c] = c;
                sizes[c] = data.consumeInt(0, BLOCK_SIZE);
            }
            PageWriter.writeParent(block, 0, data.consumeInt(1, 3), sorted, blocks, blocks.clone(), sizes, 0, root ? 9 : 0);
        } else {
            List<Key> values = new ArrayList<>();
            for (int i = 0; i < sorted.size(); i++) {
                values.add(Key.of(data.consumeBytes(data.consumeInt(0, 8))));
            }
            PageWriter.writeLeaf(block, 0, sorted, values, 0, root ? 5 : 0);
        }
        int damages = data.consumeInt(0, 4);
        for (int i = 0; i < damages; i++) {
            int at = data.consumeInt(0, BLOCK_SIZE - 1);
            if (data.consumeBoolean()) {
                block[at] ^= (byte) (1 << data.consumeInt(0, 7));
            } else {
                block[at] = data.consumeByte();
            }
        }
        return block;
    }
}
