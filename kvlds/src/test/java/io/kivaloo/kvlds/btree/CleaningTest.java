package io.kivaloo.kvlds.btree;

import static org.assertj.core.api.Assertions.assertThat;

import io.kivaloo.kvlds.cleaner.Cleaner;
import io.kivaloo.kvlds.cleaner.CleaningPolicy;
import io.kivaloo.proto.kvlds.Key;
import io.kivaloo.proto.kvlds.KvldsRequest;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The cleaner keeps the log bounded (kvlds.md §10). The workload: a cold set
 * of pairs written once, then a hot key set overwritten twenty times in
 * random order. The cold leaves are never touched by requests, so without
 * cleaning they pin the oldest live block and the log grows with every
 * write; with cleaning the log span must level off near the cost model's
 * equilibrium.
 *
 * <p>The test plays the dispatcher: one batch per simulated second, the
 * cleaner's picks ride along with each batch, FREE after each commit.
 *
 * <p>The bound. In a steady state with L live pages, a log span of P pages
 * and W pages written per second, the tail must move forward W pages a
 * second like the head, so the debt the garbage adds, (P - L) × rate, must
 * pay for rewriting every live page once per P/W seconds (by requests or by
 * the cleaner), about W × L / P cleanings a second. Hence
 * P × (P - L) = W × L / rate, i.e. P* = L/2 + sqrt(L²/4 + W·L/rate). The
 * test allows twice that.
 */
class CleaningTest {

    private static final int BLOCK_SIZE = 512;
    private static final int CACHE_PAGES = 1024;
    private static final int COLD_KEYS = 20_000;
    private static final int HOT_KEYS = 2_000;
    private static final int REWRITES = 20;
    private static final int BATCH = 100;
    /** High enough that the equilibrium is reached within the run (1600 is the spec's "small fast SSD"). */
    private static final double STORAGE_COST = 100_000;

    @Test
    void cleaningKeepsTheLogNearTheCostModelsEquilibrium() {
        Run run = overwrite(STORAGE_COST);
        double rate = Cleaner.rate(BLOCK_SIZE, STORAGE_COST);
        double w = (double) run.hotPagesWritten / run.hotSeconds;
        double live = run.live;
        double equilibrium = live / 2 + Math.sqrt(live * live / 4 + w * live / rate);
        assertThat(run.leavesPicked).as("the cleaner picked leaves").isPositive();
        assertThat(run.hotPagesWritten).as("the run is long enough to reach the equilibrium").isGreaterThan((long) (4 * equilibrium));
        assertThat((double) run.maxStoredSecondHalf)
                .as("blocks held in the second half of the run; live=%s W=%.1f pages/s rate=%.4g P*=%.0f", run.live, w, rate, equilibrium)
                .isLessThanOrEqualTo(2 * equilibrium);
    }

    @Test
    void withoutCleaningTheColdLeavesPinTheWholeLog() {
        Run off = overwrite(0);
        assertThat(off.leavesPicked).isZero();
        // Nothing written since the cold load was ever freed: the log keeps growing with the writes.
        assertThat(off.finalStored).isGreaterThanOrEqualTo(off.hotPagesWritten);
        assertThat(off.finalStored).isGreaterThan(2 * off.storedAtHalf - off.storedAfterCold);
        Run on = overwrite(STORAGE_COST);
        assertThat(off.finalStored).isGreaterThan(3 * on.maxStoredSecondHalf);
    }

    private record Run(long live, long hotPagesWritten, long hotSeconds, long storedAfterCold, long storedAtHalf,
                       long maxStoredSecondHalf, long finalStored, long leavesPicked) {
    }

    private static Run overwrite(double storageCost) {
        Random random = new Random(42);
        TreeHarness h = new TreeHarness(BLOCK_SIZE, CACHE_PAGES, random);
        Cleaner cleaner = new Cleaner(h.tree, CleaningPolicy.costOnly(storageCost), true);
        List<KvldsRequest.Modifying> batch = new ArrayList<>();
        for (int i = 0; i < COLD_KEYS; i++) {
            batch.add(new KvldsRequest.Set(Key.of(String.format("c%07d", i)), Key.of(String.format("%08d", i))));
            if (batch.size() == BATCH) {
                second(h, cleaner, batch);
                batch = new ArrayList<>();
            }
        }
        long storedAfterCold = h.store.storedBlocks();
        long writtenBefore = h.tree.pagesWritten();
        List<Key> hot = new ArrayList<>();
        for (int i = 0; i < HOT_KEYS; i++) {
            hot.add(Key.of(String.format("h%07d", i)));
        }
        long seconds = 0;
        long storedAtHalf = 0;
        long maxSecondHalf = 0;
        int totalBatches = REWRITES * HOT_KEYS / BATCH;
        for (int pass = 0; pass < REWRITES; pass++) {
            Collections.shuffle(hot, random);
            for (int i = 0; i < HOT_KEYS; i++) {
                batch.add(new KvldsRequest.Set(hot.get(i), Key.of(String.format("%02d%06d", pass, i))));
                if (batch.size() == BATCH) {
                    second(h, cleaner, batch);
                    batch = new ArrayList<>();
                    seconds++;
                    if (seconds == totalBatches / 2) {
                        storedAtHalf = h.store.storedBlocks();
                    } else if (seconds > totalBatches / 2) {
                        maxSecondHalf = Math.max(maxSecondHalf, h.store.storedBlocks());
                    }
                }
            }
        }
        // Cleaning never changes what clients see, and never freed a live page (the walk reads every page from the store).
        h.checkFullScan();
        h.checkStructure();
        return new Run(h.tree.committed().nnodes(), h.tree.pagesWritten() - writtenBefore, seconds, storedAfterCold, storedAtHalf,
                maxSecondHalf, h.store.storedBlocks(), cleaner.leavesPicked());
    }

    /** One simulated second: a batch carrying the cleaner's picks, FREE, the cleaner's tick and its next search. */
    private static void second(TreeHarness h, Cleaner cleaner, List<KvldsRequest.Modifying> requests) {
        BatchOutcome outcome = h.batch(requests, cleaner.takeReady());
        cleaner.batchDone(outcome.repaid(), outcome.pagesWritten());
        h.store.free(h.tree.freeBound());
        cleaner.tick();
        h.store.deliver(h.random);
        h.assertNoFailure();
    }
}
