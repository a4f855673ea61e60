package io.kivaloo.kvlds.btree;

import static org.assertj.core.api.Assertions.assertThat;

import io.kivaloo.kvlds.page.CorruptPageException;
import io.kivaloo.kvlds.page.Page;
import io.kivaloo.kvlds.page.PageExpectation;
import io.kivaloo.kvlds.page.PageFormat;
import io.kivaloo.kvlds.page.PageValidator;
import io.kivaloo.kvlds.page.ParentPage;
import io.kivaloo.kvlds.store.MemoryPageStore;
import io.kivaloo.proto.kvlds.Key;
import io.kivaloo.proto.kvlds.KvldsRequest;
import io.kivaloo.proto.kvlds.KvldsResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Random;
import java.util.TreeMap;

/**
 * Drives a {@link BTree} over a {@link MemoryPageStore} on the test thread,
 * delivering store answers in a seeded random order, and keeps a TreeMap
 * model (Key orders unsigned) of the committed state.
 */
final class TreeHarness {

    final MemoryPageStore store;
    final Random random;
    final int cachePages;
    final List<Throwable> failures = new ArrayList<>();
    TreeMap<Key, Key> model = new TreeMap<>();
    BTree tree;
    long lastBatchFirstBlock;

    TreeHarness(int blockSize, int cachePages, Random random) {
        this.store = new MemoryPageStore(blockSize);
        this.cachePages = cachePages;
        this.random = random;
        open();
    }

    /** Start-up: root recovery over whatever the store holds. */
    void open() {
        RootRecovery.Recovered[] found = new RootRecovery.Recovered[1];
        RootRecovery.recover(store, store.nextBlock(), store.lastBlock()).whenComplete((r, e) -> {
            if (e != null) {
                failures.add(e);
            }
            found[0] = r;
        });
        store.deliver(random);
        assertNoFailure();
        tree = new BTree(store, found[0].root(), found[0].nextBlock(), cachePages, failures::add);
        lastBatchFirstBlock = found[0].nextBlock();
    }

    void assertNoFailure() {
        if (!failures.isEmpty()) {
            throw new AssertionError("tree failed: " + failures.get(0), failures.get(0));
        }
    }

    /** Runs a batch to completion; checks statuses against the model and applies it. */
    void batch(List<KvldsRequest.Modifying> requests) {
        batch(requests, List.of());
    }

    /** As above, also rewriting the leaves that hold {@code cleaning} (the cleaner's picks); returns the outcome. */
    BatchOutcome batch(List<KvldsRequest.Modifying> requests, List<Key> cleaning) {
        BatchOutcome[] result = new BatchOutcome[1];
        lastBatchFirstBlock = tree.nextBlock();
        tree.execute(requests, cleaning, o -> result[0] = o);
        store.deliver(random);
        assertNoFailure();
        assertThat(result[0]).as("batch finished").isNotNull();
        int[] expected = applyToModel(model, requests);
        assertThat(result[0].statuses()).as("statuses of %s", requests).containsExactly(expected);
        return result[0];
    }

    /** Applies requests in order to {@code map}; returns the statuses kvlds must give. */
    static int[] applyToModel(TreeMap<Key, Key> map, List<KvldsRequest.Modifying> requests) {
        int[] statuses = new int[requests.size()];
        for (int i = 0; i < requests.size(); i++) {
            KvldsRequest.Modifying r = requests.get(i);
            Key cur = map.get(r.key());
            boolean ok;
            switch (r.type()) {
                case KvldsRequest.SET:
                    map.put(r.key(), ((KvldsRequest.Set) r).value());
                    ok = true;
                    break;
                case KvldsRequest.ADD:
                    ok = cur == null;
                    if (ok) {
                        map.put(r.key(), ((KvldsRequest.Add) r).value());
                    }
                    break;
                case KvldsRequest.MODIFY:
                    ok = cur != null;
                    if (ok) {
                        map.put(r.key(), ((KvldsRequest.Modify) r).value());
                    }
                    break;
                case KvldsRequest.DELETE:
                    map.remove(r.key());
                    ok = true;
                    break;
                case KvldsRequest.CAS:
                    ok = cur != null && cur.equals(((KvldsRequest.Cas) r).oldValue());
                    if (ok) {
                        map.put(r.key(), ((KvldsRequest.Cas) r).value());
                    }
                    break;
                case KvldsRequest.CAD:
                    ok = cur != null && cur.equals(((KvldsRequest.Cad) r).oldValue());
                    if (ok) {
                        map.remove(r.key());
                    }
                    break;
                default:
                    throw new IllegalArgumentException(r.toString());
            }
            statuses[i] = ok ? KvldsResponse.STATUS_OK : KvldsResponse.STATUS_FAIL;
        }
        return statuses;
    }

    Key get(Key key) {
        Key[] value = new Key[1];
        boolean[] done = new boolean[1];
        tree.get(key, v -> {
            value[0] = v;
            done[0] = true;
        });
        store.deliver(random);
        assertNoFailure();
        assertThat(done[0]).as("GET finished").isTrue();
        return value[0];
    }

    KvldsResponse.Range range(Key start, Key end, long max) {
        KvldsResponse.Range[] out = new KvldsResponse.Range[1];
        tree.range(new KvldsRequest.Range(max, start, end), r -> out[0] = r);
        store.deliver(random);
        assertNoFailure();
        assertThat(out[0]).as("RANGE finished").isNotNull();
        return out[0];
    }

    /** Checks one RANGE answer against the contract and the model; returns its next. */
    static void checkRange(NavigableMap<Key, Key> model, Key start, Key end, long max, KvldsResponse.Range r) {
        NavigableMap<Key, Key> wanted = end.isEmpty() ? model.tailMap(start, true)
                : (start.compareTo(end) < 0 ? model.subMap(start, true, end, false) : new TreeMap<>());
        List<KvldsResponse.Pair> pairs = r.pairs();
        Key next = r.next();
        boolean finished = end.isEmpty() ? next.isEmpty() : next.equals(end);
        // no gaps: exactly the wanted keys below next
        NavigableMap<Key, Key> expected = finished ? wanted
                : wanted.headMap(next, false);
        List<KvldsResponse.Pair> expectedPairs = new ArrayList<>();
        for (Map.Entry<Key, Key> e : expected.entrySet()) {
            expectedPairs.add(new KvldsResponse.Pair(e.getKey(), e.getValue()));
        }
        assertThat(pairs).as("RANGE [%s, %s) max=%s next=%s", start, end, max, next).isEqualTo(expectedPairs);
        if (!finished) {
            assertThat(next.compareTo(start)).as("progress: next %s > start %s", next, start).isPositive();
            if (!end.isEmpty()) {
                assertThat(next.compareTo(end)).as("next below end").isNegative();
            }
        }
        long bytes = 0;
        for (KvldsResponse.Pair p : pairs) {
            bytes += p.serializedSize();
        }
        if (pairs.size() > 1) {
            assertThat(bytes).as("budget").isLessThanOrEqualTo(max);
        }
        if (!finished && pairs.isEmpty()) {
            // allowed (an empty leaf), but the iteration must still move forward: checked above
            assertThat(next.compareTo(start)).isPositive();
        }
    }

    /** Iterates RANGE over [start, end) with budget {@code max}, checking every answer; returns all pairs. */
    List<KvldsResponse.Pair> scan(Key start, Key end, long max) {
        List<KvldsResponse.Pair> all = new ArrayList<>();
        Key from = start;
        for (int calls = 0; ; calls++) {
            assertThat(calls).as("RANGE iteration terminates").isLessThan(1_000_000);
            KvldsResponse.Range r = range(from, end, max);
            checkRange(model, from, end, max, r);
            all.addAll(r.pairs());
            Key next = r.next();
            if (end.isEmpty() ? next.isEmpty() : next.equals(end) || next.compareTo(end) >= 0) {
                return all;
            }
            from = next;
        }
    }

    /** Every pair, by RANGE iteration, without checking against the model. */
    List<KvldsResponse.Pair> scanUnchecked() {
        List<KvldsResponse.Pair> all = new ArrayList<>();
        Key from = Key.EMPTY;
        while (true) {
            KvldsResponse.Range r = range(from, Key.EMPTY, 1 << 20);
            all.addAll(r.pairs());
            if (r.next().isEmpty()) {
                return all;
            }
            from = r.next();
        }
    }

    void checkFullScan() {
        List<KvldsResponse.Pair> all = scan(Key.EMPTY, Key.EMPTY, 1 + random.nextInt(2000));
        List<KvldsResponse.Pair> expected = new ArrayList<>();
        for (Map.Entry<Key, Key> e : model.entrySet()) {
            expected.add(new KvldsResponse.Pair(e.getKey(), e.getValue()));
        }
        assertThat(all).isEqualTo(expected);
    }

    /**
     * Reads the whole committed tree from the store (not the cache) and checks
     * every page against its parent, the balancing conditions, nnodes and the
     * oldest-leaf bound; returns the pairs in order, which must be the model.
     */
    void checkStructure() {
        PageValidator validator = new PageValidator(store.blockSize());
        Page root = tree.committed().root();
        assertThat(root.isRoot()).isTrue();
        // A parsed root page's size already counts its nnodes field.
        assertThat(root.size()).isLessThanOrEqualTo(store.blockSize());
        TreeMap<Key, Key> seen = new TreeMap<>();
        long[] nodes = {1};
        walk(validator, root, null, null, seen, nodes);
        assertThat(nodes[0]).as("nnodes").isEqualTo(root.nnodes());
        assertThat(seen).isEqualTo(model);
        assertThat(Long.compareUnsigned(store.freedBelow(), tree.committed().oldestLeaf())).as("FREE bound").isLessThanOrEqualTo(0);
    }

    private void walk(PageValidator validator, Page page, Key low, Key high, TreeMap<Key, Key> seen, long[] nodes) {
        if (page.isLeaf()) {
            io.kivaloo.kvlds.page.LeafPage leaf = (io.kivaloo.kvlds.page.LeafPage) page;
            for (int i = 0; i < leaf.keyCount(); i++) {
                seen.put(leaf.key(i), leaf.value(i));
            }
            return;
        }
        ParentPage p = (ParentPage) page;
        int breakAt = PageFormat.breakAt(store.blockSize());
        int[] sizes = new int[p.childCount()];
        for (int i = 0; i < p.childCount(); i++) {
            PageExpectation expected = p.expectation(i, low, high);
            byte[] bytes = store.block(p.childBlock(i));
            assertThat(bytes).as("block %s present", p.childBlock(i)).isNotNull();
            Page child;
            try {
                child = validator.parseChild(p.childBlock(i), bytes, tree.nextBlock(), expected);
            } catch (CorruptPageException e) {
                throw new AssertionError(e.getMessage(), e);
            }
            nodes[0]++;
            sizes[i] = child.size();
            if (i > 0 && (p.childBlock(i) >= lastBatchFirstBlock || p.childBlock(i - 1) >= lastBatchFirstBlock)) {
                int merged = sizes[i - 1] + sizes[i] - PageFormat.HEADER + (p.height() > 1 ? 1 + p.key(i - 1).length() : 0);
                assertThat(merged).as("balance: children %s,%s of %s could merge", i - 1, i, p).isGreaterThan(breakAt);
            }
            walk(validator, child, expected.low(), expected.high(), seen, nodes);
        }
    }
}
