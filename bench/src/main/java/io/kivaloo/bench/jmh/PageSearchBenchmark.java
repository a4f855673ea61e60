package io.kivaloo.bench.jmh;

import io.kivaloo.kvlds.page.CorruptPageException;
import io.kivaloo.kvlds.page.LeafPage;
import io.kivaloo.kvlds.page.PageValidator;
import io.kivaloo.kvlds.page.PageWriter;
import io.kivaloo.kvlds.page.ParentPage;
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
 * kvlds's key search in one page (kvlds/DESIGN.md, "Performance"), on the
 * benchmark's keys (be64(X) then a SHA-256 prefix; X is the same for 65,536
 * keys): a leaf of 2 KiB filled to 7/8 as the cleaner leaves them, looked up
 * with keys it holds (a GET that hits), and a parent of 2 KiB, looked up with
 * random keys of the same group (every descent's step).
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class PageSearchBenchmark {

    private static final int BLOCK_SIZE = BenchmarkLeaf.BLOCK_SIZE;
    private static final int PROBES = 1024;

    private LeafPage leaf;
    private ParentPage parent;
    private Key[] leafProbes;
    private Key[] parentProbes;
    private int next;

    @Setup
    public void setUp() throws CorruptPageException {
        Random random = new Random(42);
        PageValidator validator = new PageValidator(BLOCK_SIZE);
        BenchmarkLeaf benchmarkLeaf = new BenchmarkLeaf(validator, random);
        List<Key> sorted = benchmarkLeaf.group;
        List<Key> leafKeys = benchmarkLeaf.keys;
        leaf = benchmarkLeaf.page;

        List<Key> separators = new ArrayList<>();
        for (int i = 0; i < 30; i++) {
            separators.add(sorted.get(i * (sorted.size() / 30)));
        }
        Collections.sort(separators);
        long[] children = new long[separators.size() + 1];
        int[] sizes = new int[children.length];
        for (int i = 0; i < children.length; i++) {
            children[i] = i;
            sizes[i] = BLOCK_SIZE / 2;
        }
        byte[] block = new byte[BLOCK_SIZE];
        PageWriter.writeParent(block, 0, 1, separators, children, children, sizes, 0, 0);
        parent = (ParentPage) validator.parse(100, block, 101);

        leafProbes = new Key[PROBES];
        parentProbes = new Key[PROBES];
        for (int i = 0; i < PROBES; i++) {
            leafProbes[i] = leafKeys.get(random.nextInt(leafKeys.size()));
            parentProbes[i] = sorted.get(random.nextInt(sorted.size()));
        }
    }

    @Benchmark
    public int leafFind() {
        return leaf.find(leafProbes[next++ & (PROBES - 1)]);
    }

    @Benchmark
    public int parentChildIndex() {
        return parent.childIndex(parentProbes[next++ & (PROBES - 1)]);
    }
}
