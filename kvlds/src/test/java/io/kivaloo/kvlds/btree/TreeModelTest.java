package io.kivaloo.kvlds.btree;

import static org.assertj.core.api.Assertions.assertThat;

import io.kivaloo.proto.kvlds.Key;
import io.kivaloo.proto.kvlds.KvldsRequest;
import io.kivaloo.proto.kvlds.KvldsResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.TreeMap;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;

/**
 * The tree against a TreeMap: random operations in random batches, random
 * cache sizes (down to none at all), page-ins answered in random order,
 * evictions, FREEs and restarts from the store, with reads checked against
 * the committed state and the whole structure checked after every batch.
 */
class TreeModelTest {

    private static final int[] BLOCK_SIZES = {512, 1000, 1024, 2048, 4096};

    @Property(tries = 60)
    void treeBehavesLikeASortedMap(@ForAll long seed, @ForAll @IntRange(min = 0, max = 4) int blockSizeIndex,
                                   @ForAll @IntRange(min = 0, max = 40) int cachePages) {
        run(seed, BLOCK_SIZES[blockSizeIndex], cachePages, 60);
    }

    @Test
    void manyOperationsOnSmallPages() {
        run(1234L, 512, 3, 400);
    }

    /**
     * Batches of sorted runs, as a bulk load sends them: consecutive requests
     * fall in one leaf, which the batch finds once (with and without
     * page-ins, so some runs wait for fetches and some do not).
     */
    @Test
    void sortedRunsOfKeysInOneBatchReuseTheirLeaf() {
        for (int cachePages : new int[] {0, 4, 64}) {
            Random random = new Random(cachePages);
            TreeHarness h = new TreeHarness(512, cachePages, random);
            for (int round = 0; round < 40; round++) {
                List<KvldsRequest.Modifying> batch = new ArrayList<>();
                int start = random.nextInt(5000);
                for (int i = start; i < start + 50 + random.nextInt(400); i++) {
                    Key k = Key.of(String.format("key%06d", i));
                    switch (random.nextInt(4)) {
                        case 0:
                            batch.add(new KvldsRequest.Delete(k));
                            break;
                        case 1:
                            batch.add(new KvldsRequest.Add(k, Key.of("a" + round)));
                            break;
                        default:
                            batch.add(new KvldsRequest.Set(k, Key.of("s" + round + "-" + i)));
                            break;
                    }
                }
                h.batch(batch);
                h.checkStructure();
                if (round % 10 == 9) {
                    h.tree.cache().evict(random.nextInt(100));
                    h.checkFullScan();
                }
            }
        }
    }

    @Test
    void deletingEverythingCollapsesToOneLeaf() {
        Random random = new Random(7);
        TreeHarness h = new TreeHarness(512, 16, random);
        List<KvldsRequest.Modifying> batch = new ArrayList<>();
        for (int i = 0; i < 3000; i++) {
            Key k = Key.of(String.format("key%08d", i));
            batch.add(new KvldsRequest.Set(k, Key.of("v" + i)));
            if (batch.size() == 100) {
                h.batch(batch);
                batch = new ArrayList<>();
            }
        }
        h.checkStructure();
        assertThat(h.tree.committed().height()).isGreaterThanOrEqualTo(2);
        for (int i = 0; i < 3000; i++) {
            batch.add(new KvldsRequest.Delete(Key.of(String.format("key%08d", i))));
            if (batch.size() == 100) {
                h.batch(batch);
                batch = new ArrayList<>();
                h.checkStructure();
            }
        }
        assertThat(h.tree.committed().nnodes()).isEqualTo(1);
        assertThat(h.tree.committed().root().isLeaf()).isTrue();
        h.store.free(h.tree.freeBound());
        assertThat(h.store.storedBlocks()).isEqualTo(1);
    }

    private static void run(long seed, int blockSize, int cachePages, int steps) {
        Random random = new Random(seed);
        int kmax = blockSize >= 2048 ? 255 : blockSize >= 1024 ? 128 : 64;
        int vmax = blockSize >= 2048 ? 255 : blockSize >= 1024 ? 192 : 96;
        List<Key> keys = new ArrayList<>();
        int nkeys = 20 + random.nextInt(600);
        for (int i = 0; i < nkeys; i++) {
            keys.add(randomKey(random, random.nextInt(8) == 0 ? kmax : 1 + random.nextInt(Math.min(kmax, 24))));
        }
        keys.add(Key.EMPTY);
        TreeHarness h = new TreeHarness(blockSize, cachePages, random);
        String context = "seed=" + seed + " blockSize=" + blockSize + " cachePages=" + cachePages;
        try {
            for (int step = 0; step < steps; step++) {
                int what = random.nextInt(23);
                if (what < 10) {
                    h.batch(randomBatch(random, keys, vmax, h.model));
                    h.checkStructure();
                } else if (what < 12) {
                    Key k = pick(random, keys);
                    assertThat(h.get(k)).as("GET %s", k).isEqualTo(h.model.get(k));
                } else if (what < 14) {
                    Key a = pick(random, keys);
                    Key b = random.nextInt(4) == 0 ? Key.EMPTY : pick(random, keys);
                    long max = random.nextInt(4) == 0 ? random.nextInt(20) : random.nextInt(5000);
                    KvldsResponse.Range r = h.range(a, b, max);
                    TreeHarness.checkRange(h.model, a, b, max, r);
                } else if (what == 14) {
                    h.checkFullScan();
                } else if (what == 15) {
                    h.tree.cache().evict(random.nextInt(50));
                } else if (what == 16) {
                    h.store.free(h.tree.freeBound());
                } else if (what == 17) {
                    h.open();
                    h.checkStructure();
                } else if (what == 18) {
                    readsDuringBatch(h, random, keys, vmax);
                } else if (what == 19) {
                    crashDuringBatch(h, random, keys, vmax);
                } else {
                    twoBatchesInFlight(h, random, keys, vmax, what == 22);
                }
            }
            h.checkFullScan();
            h.checkStructure();
        } catch (AssertionError | RuntimeException e) {
            throw new AssertionError(context + ": " + e.getMessage(), e);
        }
    }

    /** Reads started while a batch is in flight see the state before it; reads after commit see it. */
    private static void readsDuringBatch(TreeHarness h, Random random, List<Key> keys, int vmax) {
        List<KvldsRequest.Modifying> batch = randomBatch(random, keys, vmax, h.model);
        TreeMap<Key, Key> before = new TreeMap<>(h.model);
        int[][] result = new int[1][];
        h.lastBatchFirstBlock = h.tree.nextBlock();
        h.tree.execute(batch, s -> result[0] = s);
        List<Runnable> checks = new ArrayList<>();
        while (result[0] == null && h.store.hasPending()) {
            h.store.deliverOne(random);
            boolean committed = result[0] != null;
            readLater(h, random, keys, committed ? afterBatch(before, batch) : before, checks);
        }
        h.store.deliver(random);
        h.assertNoFailure();
        assertThat(result[0]).isNotNull();
        int[] expected = TreeHarness.applyToModel(h.model, batch);
        assertThat(result[0]).containsExactly(expected);
        checks.forEach(Runnable::run);
        h.checkStructure();
    }

    /** Pipelined batches, seeded cases on top of the random runs above. */
    @Test
    void twoBatchesInFlightCommitInOrder() {
        for (long seed = 0; seed < 40; seed++) {
            Random random = new Random(seed);
            int blockSize = BLOCK_SIZES[(int) (seed % BLOCK_SIZES.length)];
            TreeHarness h = new TreeHarness(blockSize, (int) (seed % 3) * 8, random);
            List<Key> keys = new ArrayList<>();
            for (int i = 0; i < 300; i++) {
                keys.add(randomKey(random, 1 + random.nextInt(20)));
            }
            try {
                for (int round = 0; round < 30; round++) {
                    twoBatchesInFlight(h, random, keys, 60, round % 5 == 4);
                    if (round % 7 == 6) {
                        h.store.free(h.tree.freeBound());
                        h.tree.cache().evict(random.nextInt(50));
                    }
                }
            } catch (AssertionError | RuntimeException e) {
                throw new AssertionError("seed=" + seed + " blockSize=" + blockSize + ": " + e.getMessage(), e);
            }
        }
    }

    /**
     * Batch N+1 starts as soon as N's APPEND is sent, and is prepared on N's
     * pages while N's APPEND waits for its answer. Reads see the state before
     * N until N is answered, N's state until N+1 is answered; N+1's APPEND is
     * sent only after N was answered, and N+1 is answered after N. With
     * {@code crash}, the process dies at a random point: the restarted store
     * holds the state of the last answered batch, or of a later one only if
     * its APPEND had been sent.
     */
    private static void twoBatchesInFlight(TreeHarness h, Random random, List<Key> keys, int vmax, boolean crash) {
        List<KvldsRequest.Modifying> n = randomBatch(random, keys, vmax, h.model);
        TreeMap<Key, Key> before = new TreeMap<>(h.model);
        TreeMap<Key, Key> afterN = afterBatch(before, n);
        List<KvldsRequest.Modifying> n1 = randomBatch(random, keys, vmax, afterN);
        TreeMap<Key, Key> afterN1 = afterBatch(afterN, n1);
        List<String> events = new ArrayList<>();
        int[][] statuses = new int[2][];
        h.lastBatchFirstBlock = h.tree.nextBlock();
        h.tree.execute(n, List.of(), () -> events.add("N appended"), o -> {
            events.add("N answered");
            statuses[0] = o.statuses();
        });
        List<Runnable> checks = new ArrayList<>();
        boolean n1Started = false;
        int crashAt = crash ? random.nextInt(16) : -1;
        for (int step = 0; ; step++) {
            if (!n1Started && (events.contains("N appended") || events.contains("N answered"))) {
                assertThat(h.tree.acceptsBatch()).as("a batch may start once N's APPEND is sent").isTrue();
                h.tree.execute(n1, List.of(), () -> events.add("N+1 appended"), o -> {
                    events.add("N+1 answered");
                    statuses[1] = o.statuses();
                });
                n1Started = true;
                if (statuses[0] == null) {
                    assertThat(h.tree.acceptsBatch()).as("no third batch").isFalse();
                }
            }
            checkOrder(events);
            if (step == crashAt) {
                crashWithTwoBatches(h, events, before, afterN, afterN1);
                return;
            }
            if (statuses[1] != null || !h.store.hasPending()) {
                break;
            }
            h.store.deliverOne(random);
            h.assertNoFailure();
            readLater(h, random, keys, statuses[1] != null ? afterN1 : statuses[0] != null ? afterN : before, checks);
        }
        h.store.deliver(random);
        h.assertNoFailure();
        assertThat(events).contains("N answered", "N+1 answered");
        assertThat(statuses[0]).containsExactly(TreeHarness.applyToModel(new TreeMap<>(before), n));
        assertThat(statuses[1]).containsExactly(TreeHarness.applyToModel(new TreeMap<>(afterN), n1));
        h.model = afterN1;
        checks.forEach(Runnable::run);
        h.checkStructure();
    }

    /** N is answered before N+1; N+1's APPEND goes out only after N was answered. */
    private static void checkOrder(List<String> events) {
        int nAnswered = events.indexOf("N answered");
        int n1Appended = events.indexOf("N+1 appended");
        int n1Answered = events.indexOf("N+1 answered");
        if (n1Appended >= 0) {
            assertThat(nAnswered).as("N answered before N+1's APPEND: %s", events).isBetween(0, n1Appended);
        }
        if (n1Answered >= 0) {
            assertThat(nAnswered).as("N answered before N+1: %s", events).isBetween(0, n1Answered);
        }
    }

    private static void crashWithTwoBatches(TreeHarness h, List<String> events, TreeMap<Key, Key> before,
                                            TreeMap<Key, Key> afterN, TreeMap<Key, Key> afterN1) {
        Random random = h.random;
        int mode = random.nextInt(3);
        h.store.crash(count -> mode == 0 ? 0 : mode == 1 ? count : random.nextInt(count + 1));
        h.open();
        List<KvldsResponse.Pair> all = h.scanUnchecked();
        boolean isBefore = all.size() == before.size() && matches(all, before);
        boolean isN = all.size() == afterN.size() && matches(all, afterN);
        boolean isN1 = all.size() == afterN1.size() && matches(all, afterN1);
        List<TreeMap<Key, Key>> allowed = new ArrayList<>();
        if (events.contains("N+1 answered")) {
            allowed.add(afterN1);
        } else if (events.contains("N answered")) {
            allowed.add(afterN);
            if (events.contains("N+1 appended")) {
                allowed.add(afterN1);
            }
        } else {
            // N+1's APPEND was never sent: at most N can have reached the store.
            allowed.add(before);
            allowed.add(afterN);
        }
        TreeMap<Key, Key> found = isN1 && allowed.contains(afterN1) ? afterN1 : isN && allowed.contains(afterN) ? afterN
                : isBefore && allowed.contains(before) ? before : null;
        assertThat(found).as("after a crash with events %s the store holds an allowed state", events).isNotNull();
        h.model = found;
        h.checkFullScan();
        h.checkStructure();
    }

    /**
     * Starts a GET and a RANGE now; adds to {@code checks} that they saw
     * {@code visible}, the state committed when they started, whenever they end.
     */
    private static void readLater(TreeHarness h, Random random, List<Key> keys, TreeMap<Key, Key> visible, List<Runnable> checks) {
        Key k = pick(random, keys);
        Key[] got = new Key[1];
        boolean[] done = new boolean[1];
        h.tree.get(k, v -> {
            got[0] = v;
            done[0] = true;
        });
        checks.add(() -> {
            assertThat(done[0]).isTrue();
            assertThat(got[0]).as("GET %s with batches in flight", k).isEqualTo(visible.get(k));
        });
        Key start = pick(random, keys);
        long max = random.nextInt(3000);
        KvldsResponse.Range[] range = new KvldsResponse.Range[1];
        h.tree.range(new KvldsRequest.Range(max, start, Key.EMPTY), r -> range[0] = r);
        checks.add(() -> TreeHarness.checkRange(visible, start, Key.EMPTY, max, range[0]));
    }

    private static TreeMap<Key, Key> afterBatch(TreeMap<Key, Key> before, List<KvldsRequest.Modifying> batch) {
        TreeMap<Key, Key> after = new TreeMap<>(before);
        TreeHarness.applyToModel(after, batch);
        return after;
    }

    /** The process dies with a batch in flight: after restart the store holds the state before or after it. */
    private static void crashDuringBatch(TreeHarness h, Random random, List<Key> keys, int vmax) {
        List<KvldsRequest.Modifying> batch = randomBatch(random, keys, vmax, h.model);
        TreeMap<Key, Key> before = new TreeMap<>(h.model);
        TreeMap<Key, Key> after = afterBatch(before, batch);
        int[][] result = new int[1][];
        h.tree.execute(batch, s -> result[0] = s);
        int deliveries = random.nextInt(4);
        for (int i = 0; i < deliveries && result[0] == null; i++) {
            h.store.deliverOne(random);
        }
        h.assertNoFailure();
        int mode = random.nextInt(3);
        h.store.crash(count -> mode == 0 ? 0 : mode == 1 ? count : random.nextInt(count + 1));
        h.open();
        h.model = new TreeMap<>(after);
        if (result[0] == null) {
            // Not acknowledged: either outcome is allowed; find out which one lbs kept.
            List<KvldsResponse.Pair> all = h.scanUnchecked();
            h.model = all.size() == after.size() && matches(all, after) ? after : before;
        }
        h.checkFullScan();
        h.checkStructure();
    }

    private static boolean matches(List<KvldsResponse.Pair> pairs, TreeMap<Key, Key> map) {
        int i = 0;
        for (var e : map.entrySet()) {
            KvldsResponse.Pair p = pairs.get(i++);
            if (!p.key().equals(e.getKey()) || !p.value().equals(e.getValue())) {
                return false;
            }
        }
        return true;
    }

    static List<KvldsRequest.Modifying> randomBatch(Random random, List<Key> keys, int vmax, TreeMap<Key, Key> model) {
        int n = random.nextInt(8) == 0 ? 1 + random.nextInt(400) : 1 + random.nextInt(30);
        List<KvldsRequest.Modifying> batch = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            Key k = pick(random, keys);
            Key v = randomKey(random, random.nextInt(6) == 0 ? vmax : random.nextInt(Math.min(vmax, 30)));
            Key current = model.get(k);
            Key oval = current != null && random.nextBoolean() ? current : randomKey(random, random.nextInt(3));
            switch (random.nextInt(8)) {
                case 0:
                case 1:
                case 2:
                    batch.add(new KvldsRequest.Set(k, v));
                    break;
                case 3:
                    batch.add(new KvldsRequest.Add(k, v));
                    break;
                case 4:
                    batch.add(new KvldsRequest.Modify(k, v));
                    break;
                case 5:
                    batch.add(new KvldsRequest.Delete(k));
                    break;
                case 6:
                    batch.add(new KvldsRequest.Cas(k, oval, v));
                    break;
                default:
                    batch.add(new KvldsRequest.Cad(k, oval));
                    break;
            }
        }
        return batch;
    }

    private static Key pick(Random random, List<Key> keys) {
        return keys.get(random.nextInt(keys.size()));
    }

    static Key randomKey(Random random, int length) {
        byte[] b = new byte[length];
        // A small alphabet with high bytes: shared prefixes and unsigned order both matter.
        for (int i = 0; i < length; i++) {
            b[i] = (byte) (random.nextInt(4) == 0 ? 0xff - random.nextInt(3) : 'a' + random.nextInt(3));
        }
        return Key.wrap(b);
    }
}
