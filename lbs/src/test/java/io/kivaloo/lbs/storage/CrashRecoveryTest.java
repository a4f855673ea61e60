package io.kivaloo.lbs.storage;

import io.kivaloo.proto.lbs.store.StoreFailedException;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.io.IOException;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A crash between every pair of steps of APPEND and FREE: for each n, the
 * n-th change to the disk "crashes" ({@link CrashingDisk}), the directory is
 * left as a process kill or a power loss would have left it, and the store
 * is reopened. Whatever n, every acknowledged block must read back exactly,
 * nothing of the APPEND in flight may show unless all of it does, and the
 * store must accept the next APPEND.
 */
class CrashRecoveryTest {

    private static final int BS = 512;

    /** What the scenario had done when the disk went away. */
    private static final class Progress {
        long acknowledgedNext;
        long inFlightStart = -1;
        int inFlightCount;
        long freedBelow;
        long generation;
    }

    @ParameterizedTest
    @EnumSource(CrashingDisk.Loss.class)
    void everyAcknowledgedBlockSurvivesACrashAtEveryStep(CrashingDisk.Loss loss) throws IOException {
        int crashes = 0;
        for (long step = 0; ; step++) {
            MemoryDisk dir = new MemoryDisk();
            CrashingDisk disk = new CrashingDisk(dir, step);
            Progress progress = new Progress();
            progress.generation = step;
            runScenario(disk, progress);
            if (!disk.crashed()) {
                break; // the scenario has fewer steps than this: every step has been crashed
            }
            crashes++;
            disk.afterCrash(loss, step);
            checkRecovered(dir, progress, loss, step);
        }
        System.out.printf("crash-recovery one crash loss=%s crashes=%d%n", loss, crashes);
        assertThat(crashes).as("steps in the scenario").isGreaterThan(30);
    }

    /**
     * Issue 19 item 5: a kill between an APPEND's write and its fsync leaves
     * the APPEND in the page cache; the restarted lbs finds it whole, keeps
     * it and reports it (kvlds builds on it), then acknowledges later APPENDs.
     * A power loss after that must not take the kept APPEND away, so start-up
     * must make what it keeps durable before it serves. For every step of the
     * scenario: kill there, restart on the same unsynced state, APPEND twice,
     * lose power, and check every block the second life reported.
     */
    @ParameterizedTest
    @EnumSource(value = CrashingDisk.Loss.class, names = {"UNSYNCED", "UNSYNCED_DATA_ZEROED", "UNSYNCED_TORN"})
    void blocksKeptAtStartUpSurviveAPowerLossAfterTheNextAppend(CrashingDisk.Loss loss) throws IOException {
        int crashes = 0;
        for (long step = 0; ; step++) {
            MemoryDisk dir = new MemoryDisk();
            CrashingDisk first = new CrashingDisk(dir, step);
            Progress progress = new Progress();
            progress.generation = step;
            runScenario(first, progress);
            if (!first.crashed()) {
                break;
            }
            crashes++;
            String context = "kill at step " + step + ", restart, 2 APPENDs, then " + loss;
            CrashingDisk second = first.continueAfterKill(-1);
            long reported;
            long kept;
            try (FileBlockStore store = FileBlockStore.open(second, BS, true)) {
                kept = store.nextBlock();
                reported = store.append(kept, BlockModel.blocks(BS, kept, 1, 77), 1);
                reported = store.append(reported, BlockModel.blocks(BS, reported, 1, 78), 1);
            }
            second.afterCrash(loss, step);
            try (FileBlockStore store = FileBlockStore.open(dir, BS, true)) {
                assertThat(store.nextBlock()).as(context).isEqualTo(reported);
                for (long b = progress.freedBelow; b < kept; b++) {
                    assertThat(store.read(b)).as("%s: block %d, kept at the restart", context, b)
                            .isEqualTo(BlockModel.block(BS, b, progress.generation));
                }
                assertThat(store.read(kept)).as(context).isEqualTo(BlockModel.block(BS, kept, 77));
                assertThat(store.read(kept + 1)).as(context).isEqualTo(BlockModel.block(BS, kept + 1, 78));
            }
        }
        System.out.printf("crash-recovery kill, restart, 2 APPENDs, then loss=%s runs=%d%n", loss, crashes);
        assertThat(crashes).as("steps in the scenario").isGreaterThan(30);
    }

    /** APPENDs into new and existing files, FREEs of several files, until the disk crashes. */
    private static void runScenario(CrashingDisk disk, Progress progress) throws IOException {
        FileBlockStore store;
        try {
            store = FileBlockStore.open(disk, BS, true);
        } catch (CrashingDisk.SimulatedCrash crash) {
            return;
        }
        try {
            int[] counts = {1, 1, 3, 1, 2, 5, 1, 1, 40, 2, 1};
            for (int i = 0; i < counts.length; i++) {
                append(store, progress, counts[i]);
                if (i == 6) {
                    free(store, progress, 4);
                }
            }
            free(store, progress, progress.acknowledgedNext - 1);
            append(store, progress, 3);
            free(store, progress, progress.acknowledgedNext);
            append(store, progress, 1);
        } catch (CrashingDisk.SimulatedCrash | StoreFailedException crash) {
            // The process is gone here; what it acknowledged is in progress.
        } finally {
            store.close();
        }
    }

    private static void append(FileBlockStore store, Progress progress, int count) throws IOException {
        long first = progress.acknowledgedNext;
        progress.inFlightStart = first;
        progress.inFlightCount = count;
        long next = store.append(first, BlockModel.blocks(BS, first, count, progress.generation), count);
        progress.acknowledgedNext = next;
        progress.inFlightStart = -1;
    }

    private static void free(FileBlockStore store, Progress progress, long below) throws IOException {
        // FREE is acknowledged before it runs: the promise is only "nothing at or above below".
        progress.freedBelow = Math.max(progress.freedBelow, below);
        store.free(below);
    }

    private static void checkRecovered(MemoryDisk dir, Progress progress, CrashingDisk.Loss loss, long step) throws IOException {
        String context = "loss=" + loss + " crash at step " + step;
        try (FileBlockStore store = FileBlockStore.open(dir, BS, true)) {
            long next = store.nextBlock();
            long acked = progress.acknowledgedNext;
            if (progress.inFlightStart >= 0 && next != acked) {
                // All of the APPEND in flight, or none of it.
                assertThat(next).as(context).isEqualTo(progress.inFlightStart + progress.inFlightCount);
            } else {
                assertThat(next).as(context).isEqualTo(acked);
            }
            assertThat(store.minBlock()).as(context).isLessThanOrEqualTo(Math.max(progress.freedBelow, 0));
            for (long b = progress.freedBelow; b < next; b++) {
                assertThat(store.read(b)).as("%s block %d", context, b)
                        .isEqualTo(BlockModel.block(BS, b, progress.generation));
            }
            for (long b = store.minBlock(); b < progress.freedBelow && b < next; b++) {
                byte[] got = store.read(b);
                if (got != null) {
                    assertThat(got).as("%s freeable block %d", context, b).isEqualTo(BlockModel.block(BS, b, progress.generation));
                }
            }
            assertThat(store.read(next)).as(context).isNull();
            assertThat(store.append(next, BlockModel.blocks(BS, next, 2, 99), 2)).as(context).isEqualTo(next + 2);
            assertThat(store.read(next + 1)).as(context).isEqualTo(BlockModel.block(BS, next + 1, 99));
        }
    }
}
