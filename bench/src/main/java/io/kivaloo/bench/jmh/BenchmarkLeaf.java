package io.kivaloo.bench.jmh;

import io.kivaloo.bench.data.PairMaker;
import io.kivaloo.kvlds.page.CorruptPageException;
import io.kivaloo.kvlds.page.LeafPage;
import io.kivaloo.kvlds.page.PageValidator;
import io.kivaloo.kvlds.page.PageWriter;
import io.kivaloo.proto.kvlds.Key;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.TreeSet;

/**
 * The leaf the page benchmarks work on: 19 of the benchmark's keys (be64(X)
 * then a SHA-256 prefix, one group X), each its own value, in a 2 KiB page:
 * 82-byte pairs filling it to 7/8, as the cleaner leaves leaves.
 */
final class BenchmarkLeaf {

    static final int BLOCK_SIZE = 2048;
    static final int PAIRS = 19;

    /** The group's keys, sorted. */
    final List<Key> group;
    /** The leaf's keys: a run of {@link #PAIRS} of the group's. */
    final List<Key> keys;
    final LeafPage page;

    BenchmarkLeaf(PageValidator validator, Random random) throws CorruptPageException {
        PairMaker maker = new PairMaker();
        TreeSet<Key> sorted = new TreeSet<>();
        for (int y = 0; y < 4096; y++) {
            sorted.add(Key.wrap(maker.key(3, y)));
        }
        group = new ArrayList<>(sorted);
        int start = random.nextInt(group.size() - 64);
        keys = group.subList(start, start + PAIRS);
        byte[] block = new byte[BLOCK_SIZE];
        PageWriter.writeLeaf(block, 0, keys, keys, 0, 0);
        page = (LeafPage) validator.parse(10, block, 11);
    }
}
