package io.kivaloo.lbs.storage;

import io.kivaloo.proto.lbs.store.StoreFailedException;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class FileBlockStoreTest {

    private static final int BS = 512;

    @TempDir
    Path dir;

    private FileBlockStore open() throws IOException {
        return FileBlockStore.open(new NioDisk(dir), BS, true);
    }

    @Test
    void emptyStoreHasNoBlocks() throws IOException {
        try (FileBlockStore store = open()) {
            assertThat(store.nextBlock()).isZero();
            assertThat(store.minBlock()).isZero();
            assertThat(store.read(0)).isNull();
            assertThat(store.read(-1)).isNull();
        }
    }

    @Test
    void appendedBlocksReadBackAndSurviveReopen() throws IOException {
        try (FileBlockStore store = open()) {
            assertThat(store.append(0, BlockModel.blocks(BS, 0, 3, 0), 3)).isEqualTo(3);
            assertThat(store.append(3, BlockModel.blocks(BS, 3, 1, 0), 1)).isEqualTo(4);
            for (long b = 0; b < 4; b++) {
                assertThat(store.read(b)).isEqualTo(BlockModel.block(BS, b, 0));
            }
            assertThat(store.read(4)).isNull();
        }
        try (FileBlockStore store = open()) {
            assertThat(store.nextBlock()).isEqualTo(4);
            assertThat(store.read(2)).isEqualTo(BlockModel.block(BS, 2, 0));
        }
    }

    @Test
    void appendAtTheWrongBlockIsRejectedWithoutChange() throws IOException {
        try (FileBlockStore store = open()) {
            store.append(0, BlockModel.blocks(BS, 0, 1, 0), 1);
            assertThatThrownBy(() -> store.append(5, BlockModel.blocks(BS, 5, 1, 0), 1))
                    .isInstanceOf(IllegalArgumentException.class);
            assertThat(store.nextBlock()).isEqualTo(1);
        }
    }

    @Test
    void filesGrowGeometricallyAndFreeReclaimsWholeFilesOnly() throws IOException {
        try (FileBlockStore store = open()) {
            for (long b = 0; b < 400; b++) {
                store.append(b, BlockModel.blocks(BS, b, 1, 0), 1);
            }
            // 1/16 rule: a file per block while the store is small, then ever larger files.
            assertThat(store.fileCount()).isBetween(40, 90);
            store.free(200);
            assertThat(store.minBlock()).isLessThanOrEqualTo(200).isGreaterThan(100);
            for (long b = 200; b < 400; b++) {
                assertThat(store.read(b)).as("block %d", b).isEqualTo(BlockModel.block(BS, b, 0));
            }
            assertThat(store.read(store.minBlock() - 1)).isNull();
        }
    }

    @Test
    void freeingEverythingKeepsTheLastFileSoBlockNumbersAreNeverReused() throws IOException {
        try (FileBlockStore store = open()) {
            for (long b = 0; b < 20; b++) {
                store.append(b, BlockModel.blocks(BS, b, 1, 0), 1);
            }
            store.free(-1L); // 2^64-1: everything may go
            assertThat(store.fileCount()).isEqualTo(1);
            assertThat(store.read(19)).isEqualTo(BlockModel.block(BS, 19, 0));
        }
        try (FileBlockStore store = open()) {
            assertThat(store.nextBlock()).isEqualTo(20);
            assertThat(store.append(20, BlockModel.blocks(BS, 20, 1, 0), 1)).isEqualTo(21);
        }
    }

    @Test
    void freeNeverDeletesABlockAtOrAboveItsArgument() throws IOException {
        try (FileBlockStore store = open()) {
            for (long b = 0; b < 100; b++) {
                store.append(b, BlockModel.blocks(BS, b, 1, 0), 1);
            }
            for (long below = 0; below <= 100; below++) {
                store.free(below);
                for (long b = below; b < 100; b++) {
                    assertThat(store.read(b)).as("block %d after free(%d)", b, below).isNotNull();
                }
            }
        }
    }

    @Test
    void readsRacingFreeReturnDataOrAbsentNeverAnError() throws Exception {
        try (FileBlockStore store = open()) {
            for (long b = 0; b < 300; b++) {
                store.append(b, BlockModel.blocks(BS, b, 1, 0), 1);
            }
            CountDownLatch start = new CountDownLatch(1);
            AtomicReference<Throwable> error = new AtomicReference<>();
            List<Thread> readers = new ArrayList<>();
            for (int t = 0; t < 4; t++) {
                int seed = t;
                Thread reader = new Thread(() -> {
                    Random random = new Random(seed);
                    try {
                        start.await();
                        for (int i = 0; i < 5000; i++) {
                            long b = random.nextInt(300);
                            byte[] got = store.read(b);
                            if (got != null && !java.util.Arrays.equals(got, BlockModel.block(BS, b, 0))) {
                                throw new AssertionError("wrong bytes for block " + b);
                            }
                        }
                    } catch (Throwable e) {
                        error.compareAndSet(null, e);
                    }
                });
                reader.start();
                readers.add(reader);
            }
            start.countDown();
            for (long below = 0; below <= 300; below += 7) {
                store.free(below);
            }
            for (Thread reader : readers) {
                reader.join();
            }
            assertThat(error.get()).isNull();
        }
    }

    @Test
    void seededRandomOperationsMatchAModel() throws IOException {
        long seed = 20261124L;
        Random random = new Random(seed);
        TreeMap<Long, byte[]> model = new TreeMap<>();
        long next = 0;
        long freedBelow = 0;
        FileBlockStore store = open();
        try {
            for (int op = 0; op < 600; op++) {
                int kind = random.nextInt(10);
                if (kind < 5) {
                    int count = 1 + random.nextInt(random.nextBoolean() ? 3 : 40);
                    byte[] data = BlockModel.blocks(BS, next, count, seed);
                    assertThat(store.append(next, data, count)).isEqualTo(next + count);
                    for (int i = 0; i < count; i++) {
                        model.put(next + i, BlockModel.block(BS, next + i, seed));
                    }
                    next += count;
                } else if (kind < 8) {
                    long b = next == 0 ? 0 : (long) random.nextInt((int) next + 2);
                    byte[] got = store.read(b);
                    if (b >= freedBelow && b < next) {
                        assertThat(got).as("seed %d op %d block %d", seed, op, b).isEqualTo(model.get(b));
                    } else if (got != null) {
                        assertThat(got).isEqualTo(model.get(b));
                    }
                } else if (kind < 9) {
                    freedBelow = Math.max(freedBelow, next == 0 ? 0 : random.nextInt((int) next + 1));
                    store.free(freedBelow);
                } else {
                    store.close();
                    store = open();
                    assertThat(store.nextBlock()).as("seed %d", seed).isEqualTo(next);
                }
            }
        } finally {
            store.close();
        }
    }

    @Test
    void aFailedFsyncStopsAllFurtherChanges() throws IOException {
        FaultyDisk disk = new FaultyDisk(new NioDisk(dir), "injected fsync failure", false);
        try (FileBlockStore store = FileBlockStore.open(disk, BS, true)) {
            store.append(0, BlockModel.blocks(BS, 0, 1, 0), 1);
            store.append(1, BlockModel.blocks(BS, 1, 1, 0), 1);
            disk.failSync = true;
            assertThatThrownBy(() -> store.append(2, BlockModel.blocks(BS, 2, 1, 0), 1))
                    .isInstanceOf(StoreFailedException.class).hasMessageContaining("injected fsync failure");
            disk.failSync = false;
            assertThatThrownBy(() -> store.append(2, BlockModel.blocks(BS, 2, 1, 0), 1))
                    .isInstanceOf(StoreFailedException.class).hasMessageContaining("injected fsync failure");
            assertThatThrownBy(() -> store.free(1)).isInstanceOf(StoreFailedException.class);
            assertThat(store.nextBlock()).as("nothing acknowledged after the failure").isEqualTo(2);
            assertThat(store.read(1)).isEqualTo(BlockModel.block(BS, 1, 0));
        }
        try (FileBlockStore store = open()) {
            assertThat(store.read(0)).isEqualTo(BlockModel.block(BS, 0, 0));
            assertThat(store.read(1)).isEqualTo(BlockModel.block(BS, 1, 0));
        }
    }

    /**
     * Issue 19 item 9: on a nearly full disk the zero reserve (an
     * optimisation) must not fail APPENDs whose data fits; once the data
     * itself does not fit, the APPEND fails with the disk's own message, the
     * store stops, and a restart on the still-full disk keeps every
     * acknowledged block and can fail the same way again without growing.
     */
    @Test
    void aFullDiskFailsOnlyTheAppendThatDoesNotFitAndRestartsClean() throws IOException {
        FaultyDisk disk = new FaultyDisk(new NioDisk(dir), "unused", false);
        disk.limitSpace(8 * 1024);
        long next = 0;
        try (FileBlockStore store = FileBlockStore.open(disk, BS, true)) {
            next = store.append(next, BlockModel.blocks(BS, next, 1, 0), 1);
            next = store.append(next, BlockModel.blocks(BS, next, 1, 0), 1);
            assertThat(next).as("small APPENDs whose data fits succeed without their reserve").isEqualTo(2);
            IOException full = null;
            while (full == null) {
                try {
                    next = store.append(next, BlockModel.blocks(BS, next, 1, 0), 1);
                } catch (IOException e) {
                    full = e;
                }
            }
            assertThat(full).hasMessageContaining("No space left on device");
            long acknowledged = next;
            assertThatThrownBy(() -> store.append(acknowledged, BlockModel.blocks(BS, acknowledged, 1, 0), 1))
                    .isInstanceOf(StoreFailedException.class);
        }
        long sizeAfterFailure = directorySize();
        for (int restart = 0; restart < 3; restart++) {
            try (FileBlockStore store = FileBlockStore.open(disk, BS, true)) {
                assertThat(store.nextBlock()).isEqualTo(next);
                for (long b = 0; b < next; b++) {
                    assertThat(store.read(b)).as("block %d after restart %d", b, restart).isEqualTo(BlockModel.block(BS, b, 0));
                }
                long at = next;
                assertThatThrownBy(() -> store.append(at, BlockModel.blocks(BS, at, 1, 0), 1))
                        .hasMessageContaining("No space left on device");
            }
            assertThat(directorySize()).as("restart %d on a full disk", restart).isLessThanOrEqualTo(sizeAfterFailure);
        }
    }

    private long directorySize() throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            return files.mapToLong(f -> f.toFile().length()).sum();
        }
    }

    /** A read error fails that read only: reads change nothing, so the store goes on. */
    @Test
    void aReadErrorFailsThatReadAndNothingElse() throws IOException {
        FaultyDisk disk = new FaultyDisk(new NioDisk(dir), "unused", false);
        try (FileBlockStore store = FileBlockStore.open(disk, BS, true)) {
            store.append(0, BlockModel.blocks(BS, 0, 2, 0), 2);
            disk.failReads = true;
            assertThatThrownBy(() -> store.read(1)).isInstanceOf(IOException.class).hasMessageContaining("Input/output error");
            disk.failReads = false;
            assertThat(store.read(1)).isEqualTo(BlockModel.block(BS, 1, 0));
            assertThat(store.append(2, BlockModel.blocks(BS, 2, 1, 0), 1)).isEqualTo(3);
        }
    }

    /** A read error during the start-up scan refuses to start with the cause and changes nothing. */
    @Test
    void aReadErrorDuringStartUpRefusesToStartAndChangesNothing() throws IOException {
        try (FileBlockStore store = open()) {
            store.append(0, BlockModel.blocks(BS, 0, 3, 0), 3);
        }
        long before = directorySize();
        FaultyDisk disk = new FaultyDisk(new NioDisk(dir), "unused", false);
        disk.failReads = true;
        assertThatThrownBy(() -> FileBlockStore.open(disk, BS, true)).isInstanceOf(IOException.class)
                .hasMessageContaining("Input/output error");
        assertThat(directorySize()).isEqualTo(before);
        try (FileBlockStore store = open()) {
            assertThat(store.nextBlock()).isEqualTo(3);
            assertThat(store.read(2)).isEqualTo(BlockModel.block(BS, 2, 0));
        }
    }

    @Test
    void dataLossModeNeverSyncs() throws IOException {
        CrashingDisk counting = new CrashingDisk(new MemoryDisk(), -1);
        try (FileBlockStore store = FileBlockStore.open(counting, BS, false)) {
            store.append(0, BlockModel.blocks(BS, 0, 1, 0), 1);
            store.append(1, BlockModel.blocks(BS, 1, 1, 0), 1);
            store.free(2);
        }
        // create + write + reserve, cut the reserve + create + write + reserve, delete: no fsync anywhere.
        assertThat(counting.steps()).isEqualTo(8);
    }

    @Test
    void outOfRangeBlockSizeIsRefused() {
        assertThatThrownBy(() -> FileBlockStore.open(new NioDisk(dir), 511, true))
                .hasMessage("Block size must be in [512, 131072]");
        assertThatThrownBy(() -> FileBlockStore.open(new NioDisk(dir), 131073, true))
                .hasMessage("Block size must be in [512, 131072]");
    }

    @Test
    void oddBlockSizesWork() throws IOException {
        for (int size : new int[] {1000, 1023, 1025, 1100, 131072}) {
            Path sub = Files.createDirectory(dir.resolve("bs" + size));
            try (FileBlockStore store = FileBlockStore.open(new NioDisk(sub), size, false)) {
                store.append(0, BlockModel.blocks(size, 0, 2, 0), 2);
                assertThat(store.read(1)).isEqualTo(BlockModel.block(size, 1, 0));
            }
        }
    }

    /** Fails fsync on demand. */
}
