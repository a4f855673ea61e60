package io.kivaloo.lbs.storage;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Start-up recovery from every kind of torn tail, and refusal of damaged
 * acknowledged data. Each test builds a store whose last APPEND (blocks
 * 20..23, all in the newest file) stands for the one in flight at the crash,
 * damages it as a crash could, and checks that recovery keeps exactly the
 * earlier blocks. The newest file ends in the zero reserve written ahead of
 * small APPENDs; damage is placed relative to the end of its data.
 */
class StartupScanTest {

    private static final int BS = 512;
    private static final int SLOT = BlockFileFormat.slotLength(BS);

    @TempDir
    Path dir;

    /** Blocks 0..19 in single-block APPENDs, then the "in-flight" APPEND 20..23. Returns the newest file. */
    private Path buildStore() throws IOException {
        try (FileBlockStore store = FileBlockStore.open(new NioDisk(dir), BS, true)) {
            for (long b = 0; b < 20; b++) {
                store.append(b, BlockModel.blocks(BS, b, 1, 0), 1);
            }
            store.append(20, BlockModel.blocks(BS, 20, 4, 0), 4);
        }
        return newestFile();
    }

    private Path newestFile() throws IOException {
        try (var files = Files.list(dir)) {
            return files.filter(p -> BlockFileFormat.isFileName(p.getFileName().toString()))
                    .max(java.util.Comparator.comparing(p -> p.getFileName().toString())).orElseThrow();
        }
    }

    /** Where the data of the store built by {@link #buildStore} end in its newest file (the reserve follows). */
    private static long dataEnd(Path newest) {
        return BlockFileFormat.slotOffset(BS, 24 - BlockFileFormat.firstBlockOf(newest.getFileName().toString()));
    }

    private void assertRecoveredTo(long expectedNext) throws IOException {
        try (FileBlockStore store = FileBlockStore.open(new NioDisk(dir), BS, true)) {
            assertThat(store.nextBlock()).isEqualTo(expectedNext);
            for (long b = store.minBlock(); b < expectedNext; b++) {
                assertThat(store.read(b)).as("block %d", b).isEqualTo(BlockModel.block(BS, b, 0));
            }
            assertThat(store.read(expectedNext)).isNull();
            // The store goes on from there, and the new blocks survive another restart.
            store.append(expectedNext, BlockModel.blocks(BS, expectedNext, 2, 1), 2);
        }
        try (FileBlockStore store = FileBlockStore.open(new NioDisk(dir), BS, true)) {
            assertThat(store.nextBlock()).isEqualTo(expectedNext + 2);
            assertThat(store.read(expectedNext + 1)).isEqualTo(BlockModel.block(BS, expectedNext + 1, 1));
        }
    }

    private static void overwrite(Path file, long position, byte[] bytes) throws IOException {
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.WRITE)) {
            channel.write(ByteBuffer.wrap(bytes), position);
        }
    }

    private static void truncate(Path file, long length) throws IOException {
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.WRITE)) {
            channel.truncate(length);
        }
    }

    @Test
    void intactStoreIsKeptWhole() throws IOException {
        buildStore();
        assertRecoveredTo(24);
    }

    @Test
    void cleanRestartKeepsTheZeroReserveAndOlderFilesWhole() throws IOException {
        Path newest = buildStore();
        long length = Files.size(newest);
        assertThat(length).as("zeros reserved behind the data").isGreaterThan(dataEnd(newest));
        try (FileBlockStore store = FileBlockStore.open(new NioDisk(dir), BS, true)) {
            assertThat(store.nextBlock()).isEqualTo(24);
        }
        assertThat(Files.size(newest)).as("nothing cut on a clean restart").isEqualTo(length);
        try (var files = Files.list(dir)) {
            for (Path file : (Iterable<Path>) files::iterator) {
                if (!file.equals(newest)) {
                    // A file stops being the newest only after its reserve is cut off.
                    assertThat((Files.size(file) - BlockFileFormat.HEADER_LENGTH) % SLOT).as("%s", file).isZero();
                }
            }
        }
        assertRecoveredTo(24);
    }

    @Test
    void dataInTheReserveBehindADamagedLastAppendRefusesToStart() throws IOException {
        Path newest = buildStore();
        long slot21 = dataEnd(newest) - 3L * SLOT;
        overwrite(newest, slot21 + 10, new byte[] {42});
        overwrite(newest, dataEnd(newest) + 2L * SLOT + 5, new byte[] {7});
        byte[] before = Files.readAllBytes(newest);
        assertThatThrownBy(() -> FileBlockStore.open(new NioDisk(dir), BS, true))
                .isInstanceOf(CorruptBlockException.class)
                .hasMessageContaining("block=21")
                .hasMessageContaining("followed by more data");
        assertThat(Files.readAllBytes(newest)).as("nothing truncated").isEqualTo(before);
    }

    @Test
    void fileTruncatedAtASlotBoundaryInsideTheLastAppendDropsThatAppend() throws IOException {
        Path newest = buildStore();
        truncate(newest, dataEnd(newest) - 2L * SLOT);
        assertRecoveredTo(20);
    }

    @Test
    void partialBlockAtTheEndDropsTheLastAppend() throws IOException {
        Path newest = buildStore();
        truncate(newest, dataEnd(newest) - 100);
        assertRecoveredTo(20);
    }

    @Test
    void fileCutInsideTheFirstBlockOfTheLastAppendDropsIt() throws IOException {
        Path newest = buildStore();
        long firstSlotOfAppend = dataEnd(newest) - 4L * SLOT;
        truncate(newest, firstSlotOfAppend + 7);
        assertRecoveredTo(20);
    }

    @Test
    void garbageShorterThanABlockAfterTheLastGoodBlockIsCut() throws IOException {
        Path newest = buildStore();
        byte[] garbage = new byte[300];
        new Random(1).nextBytes(garbage);
        overwrite(newest, dataEnd(newest), garbage);
        assertRecoveredTo(24);
    }

    @Test
    void garbageLongerThanABlockAfterTheLastGoodBlockIsCut() throws IOException {
        Path newest = buildStore();
        byte[] garbage = new byte[3 * SLOT + 17];
        new Random(2).nextBytes(garbage);
        overwrite(newest, dataEnd(newest), garbage);
        assertRecoveredTo(24);
    }

    @Test
    void lengthWithoutDataZeroedTailDropsTheLastAppend() throws IOException {
        Path newest = buildStore();
        overwrite(newest, dataEnd(newest) - 3L * SLOT, new byte[3 * SLOT]);
        assertRecoveredTo(20);
    }

    @Test
    void pagesWrittenOutOfOrderHoleInTheLastAppendDropsIt() throws IOException {
        Path newest = buildStore();
        overwrite(newest, dataEnd(newest) - 3L * SLOT, new byte[SLOT]); // block 21 missing, 22 and 23 intact
        assertRecoveredTo(20);
    }

    @Test
    void missingNewestFileFallsBackToThePreviousEnd() throws IOException {
        try (FileBlockStore store = FileBlockStore.open(new NioDisk(dir), BS, true)) {
            for (long b = 0; b < 5; b++) {
                store.append(b, BlockModel.blocks(BS, b, 1, 0), 1); // a file per block while the store is small
            }
        }
        Files.delete(newestFile());
        assertRecoveredTo(4);
    }

    @Test
    void fileCreatedButNeverWrittenIsRemoved() throws IOException {
        buildStore();
        Path empty = dir.resolve(BlockFileFormat.fileName(24));
        Files.createFile(empty);
        assertRecoveredTo(24);
        assertThat(Files.size(dir.resolve(BlockFileFormat.fileName(24)))).isGreaterThan(0);
    }

    @Test
    void fileWithZeroedHeaderAndZeroedDataIsRemoved() throws IOException {
        buildStore();
        Files.write(dir.resolve(BlockFileFormat.fileName(24)), new byte[BlockFileFormat.HEADER_LENGTH + 2 * SLOT]);
        assertRecoveredTo(24);
    }

    /** Blocks 0..99 in one APPEND (one file), then 100..103 and 104..105, both in the newest file. */
    private Path buildStoreWithTwoAppendsInTheNewestFile() throws IOException {
        try (FileBlockStore store = FileBlockStore.open(new NioDisk(dir), BS, true)) {
            store.append(0, BlockModel.blocks(BS, 0, 100, 0), 100);
            store.append(100, BlockModel.blocks(BS, 100, 4, 0), 4);
            store.append(104, BlockModel.blocks(BS, 104, 2, 0), 2);
        }
        Path newest = newestFile();
        assertThat(newest.getFileName().toString()).isEqualTo(BlockFileFormat.fileName(100));
        return newest;
    }

    @Test
    void damageInsideAnAcknowledgedAppendFollowedByALaterOneRefusesToStart() throws IOException {
        Path newest = buildStoreWithTwoAppendsInTheNewestFile();
        long slot101 = BlockFileFormat.slotOffset(BS, 1);
        overwrite(newest, slot101 + 10, new byte[] {42});
        byte[] before = Files.readAllBytes(newest);
        assertThatThrownBy(() -> FileBlockStore.open(new NioDisk(dir), BS, true))
                .isInstanceOf(CorruptBlockException.class)
                .hasMessageContaining("file=" + newest.getFileName())
                .hasMessageContaining("block=101")
                .hasMessageContaining("offset=" + slot101)
                .hasMessageContaining("refusing to start");
        assertThat(Files.readAllBytes(newest)).as("nothing truncated").isEqualTo(before);
    }

    @Test
    void wholeAcknowledgedAppendDamagedBeforeALaterOneRefusesToStart() throws IOException {
        Path newest = buildStoreWithTwoAppendsInTheNewestFile();
        overwrite(newest, BlockFileFormat.slotOffset(BS, 0), new byte[4 * SLOT]);
        assertThatThrownBy(() -> FileBlockStore.open(new NioDisk(dir), BS, true))
                .isInstanceOf(CorruptBlockException.class).hasMessageContaining("block=100");
    }

    @Test
    void blockCopiedToTheWrongPlaceInTheNewestFileRefusesToStart() throws IOException {
        Path newest = buildStoreWithTwoAppendsInTheNewestFile();
        byte[] bytes = Files.readAllBytes(newest);
        byte[] slot0 = java.util.Arrays.copyOfRange(bytes, BlockFileFormat.HEADER_LENGTH, BlockFileFormat.HEADER_LENGTH + SLOT);
        overwrite(newest, BlockFileFormat.slotOffset(BS, 5), slot0);
        assertThatThrownBy(() -> FileBlockStore.open(new NioDisk(dir), BS, true))
                .isInstanceOf(CorruptBlockException.class).hasMessageContaining("block=105");
    }

    @Test
    void olderFileWithATornTailRefusesToStart() throws IOException {
        buildStore();
        Path older = dir.resolve(BlockFileFormat.fileName(3));
        truncate(older, Files.size(older) - 5);
        assertThatThrownBy(() -> FileBlockStore.open(new NioDisk(dir), BS, true))
                .isInstanceOf(StorageException.class)
                .hasMessageContaining("not a whole number of blocks")
                .hasMessageContaining(older.getFileName().toString());
    }

    @Test
    void missingMiddleFileRefusesToStart() throws IOException {
        buildStore();
        Files.delete(dir.resolve(BlockFileFormat.fileName(3)));
        assertThatThrownBy(() -> FileBlockStore.open(new NioDisk(dir), BS, true))
                .isInstanceOf(StorageException.class)
                .hasMessageContaining("Start of block storage file does not match end of previous file");
    }

    @Test
    void anotherBlockSizeIsRefusedWithTheRightOne() throws IOException {
        buildStore();
        assertThatThrownBy(() -> FileBlockStore.open(new NioDisk(dir), 1024, true))
                .isInstanceOf(StorageException.class)
                .hasMessageContaining("written with block size 512, not 1024; restart with -b 512");
    }

    @Test
    void corruptBlockInAnOlderFileFailsItsReadNamingFileBlockAndOffset() throws IOException {
        buildStoreWithTwoAppendsInTheNewestFile();
        Path file = dir.resolve(BlockFileFormat.fileName(0));
        long offset = BlockFileFormat.slotOffset(BS, 3);
        overwrite(file, offset + 3, new byte[] {(byte) 0xEE});
        try (FileBlockStore store = FileBlockStore.open(new NioDisk(dir), BS, true)) {
            assertThatThrownBy(() -> store.read(3))
                    .isInstanceOf(CorruptBlockException.class)
                    .hasMessage("corrupt block file=" + file.getFileName() + " block=3 offset=" + offset
                            + " problem=CRC mismatch");
            assertThat(store.read(4)).isEqualTo(BlockModel.block(BS, 4, 0));
        }
    }

    @Test
    void corruptLastBlockOfAnOlderFileRefusesToStart() throws IOException {
        buildStoreWithTwoAppendsInTheNewestFile();
        Path file = dir.resolve(BlockFileFormat.fileName(0));
        overwrite(file, BlockFileFormat.slotOffset(BS, 99) + 3, new byte[] {(byte) 0xEE});
        assertThatThrownBy(() -> FileBlockStore.open(new NioDisk(dir), BS, true))
                .isInstanceOf(CorruptBlockException.class).hasMessageContaining("block=99");
    }

    @Test
    void blockCopiedToTheWrongPlaceIsCaughtOnRead() throws IOException {
        buildStoreWithTwoAppendsInTheNewestFile();
        Path file = dir.resolve(BlockFileFormat.fileName(0));
        byte[] bytes = Files.readAllBytes(file);
        byte[] slot0 = java.util.Arrays.copyOfRange(bytes, BlockFileFormat.HEADER_LENGTH, BlockFileFormat.HEADER_LENGTH + SLOT);
        overwrite(file, BlockFileFormat.slotOffset(BS, 5), slot0);
        try (FileBlockStore store = FileBlockStore.open(new NioDisk(dir), BS, true)) {
            assertThatThrownBy(() -> store.read(5)).isInstanceOf(CorruptBlockException.class)
                    .hasMessageContaining("problem=holds block 0");
            assertThat(store.read(6)).isEqualTo(BlockModel.block(BS, 6, 0));
        }
    }

    @Test
    void truncatedOlderFileIsCaughtOnRead() throws IOException {
        buildStore();
        try (FileBlockStore store = FileBlockStore.open(new NioDisk(dir), BS, true)) {
            truncate(dir.resolve(BlockFileFormat.fileName(0)), BlockFileFormat.HEADER_LENGTH);
            assertThatThrownBy(() -> store.read(0)).isInstanceOf(CorruptBlockException.class)
                    .hasMessageContaining("truncated");
        }
    }

    @Test
    void unrelatedEntriesAreIgnored() throws IOException {
        buildStore();
        Files.writeString(dir.resolve("lbs.sock.pid"), "123");
        Files.writeString(dir.resolve("blks_00000000000000FF"), "uppercase is not ours");
        Files.writeString(dir.resolve("blks_0000000000000ff"), "too short");
        Files.createDirectory(dir.resolve(BlockFileFormat.fileName(99)));
        Files.createSymbolicLink(dir.resolve(BlockFileFormat.fileName(98)), dir.resolve(BlockFileFormat.fileName(0)));
        assertRecoveredTo(24);
    }

    @Test
    void directoryOfTheCLbsIsRefusedNotDeleted() throws IOException {
        byte[] cBlock = new byte[BS];
        new Random(3).nextBytes(cBlock);
        Path cFile = dir.resolve(BlockFileFormat.fileName(0));
        Files.write(cFile, cBlock);
        assertThatThrownBy(() -> FileBlockStore.open(new NioDisk(dir), BS, true))
                .isInstanceOf(StorageException.class).hasMessageContaining("no header magic");
        assertThat(Files.readAllBytes(cFile)).isEqualTo(cBlock);
    }
}
