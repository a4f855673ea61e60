package io.kivaloo.bench.jmh;

import io.kivaloo.bench.data.PairMaker;
import io.kivaloo.kvlds.page.CorruptPageException;
import io.kivaloo.kvlds.page.LeafPage;
import io.kivaloo.kvlds.page.PageValidator;
import io.kivaloo.kvlds.page.PageWriter;
import io.kivaloo.proto.kvlds.Key;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;

/**
 * kvlds's copy-on-write of one leaf for one SET and its serialization
 * (kvlds/DESIGN.md "Garbage per batch"), on the benchmark's keys in a 2 KiB
 * leaf of 19 pairs: the way a batch did it before (the page copied into lists
 * of keys and values, one {@code Key} and array per key and per value, the
 * value replaced, the lists written) against the way it does now (the page
 * plus one edit, written by copying the page's unchanged runs of bytes).
 * Both then parse the new page as the sync phase checks it. Run with
 * {@code -prof gc} to see the bytes allocated per rewrite.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class LeafRewriteBenchmark {

    private static final int BLOCK_SIZE = BenchmarkLeaf.BLOCK_SIZE;
    private static final int PROBES = 1024;

    private final PageValidator validator = new PageValidator(BLOCK_SIZE);
    private LeafPage leaf;
    private Key[] probes;
    private Key value;
    private int next;

    @Setup
    public void setUp() throws CorruptPageException {
        Random random = new Random(42);
        BenchmarkLeaf benchmarkLeaf = new BenchmarkLeaf(validator, random);
        List<Key> leafKeys = benchmarkLeaf.keys;
        leaf = benchmarkLeaf.page;
        value = Key.wrap(new PairMaker().key(9, 9));
        probes = new Key[PROBES];
        for (int i = 0; i < PROBES; i++) {
            probes[i] = leafKeys.get(random.nextInt(leafKeys.size()));
        }
    }

    /** Before: the leaf as lists, a value replaced, the lists written, the page checked. */
    @Benchmark
    public LeafPage asLists() throws CorruptPageException {
        Key key = probes[next++ & (PROBES - 1)];
        int n = leaf.keyCount();
        ArrayList<Key> keys = new ArrayList<>(n + 4);
        ArrayList<Key> values = new ArrayList<>(n + 4);
        for (int i = 0; i < n; i++) {
            keys.add(leaf.key(i));
            values.add(leaf.value(i));
        }
        values.set(Collections.binarySearch(keys, key), value);
        byte[] block = new byte[BLOCK_SIZE];
        PageWriter.writeLeaf(block, 0, keys, values, 0, 0);
        return (LeafPage) validator.parse(11, block, 12);
    }

    /** Now: the page plus one edit, written by copying runs, the page checked. */
    @Benchmark
    public LeafPage asEdits() throws CorruptPageException {
        Key key = probes[next++ & (PROBES - 1)];
        byte[] block = new byte[BLOCK_SIZE];
        PageWriter.writeLeafEdited(block, leaf, new Key[] {key}, new Key[] {value}, 1, leaf.keyCount(), 0, 0);
        return (LeafPage) validator.parse(11, block, 12);
    }
}
