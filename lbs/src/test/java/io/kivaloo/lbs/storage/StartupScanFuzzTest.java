package io.kivaloo.lbs.storage;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Coverage-guided fuzzing (Jazzer) of the start-up scan: a store of several
 * files (built once, in memory) is damaged as the fuzzer chooses (bit flips,
 * bytes set, truncation, zeroed ranges, bytes appended, a range copied
 * elsewhere, a file removed) and opened. The scan must either refuse with a
 * {@link StorageException} or open a store that serves no block beyond the
 * ones written and never serves wrong bytes (a damaged block is a
 * {@link CorruptBlockException} on GET); nothing else may be thrown, and its
 * reads are bounded by a few passes over the files (counted by
 * {@link MemoryDisk}), so no damage can make it loop.
 */
class StartupScanFuzzTest {

    private static final int BS = 512;
    private static final int SLOT = BlockFileFormat.slotLength(BS);
    private static final Map<String, byte[]> TEMPLATE;
    private static final long TEMPLATE_NEXT;

    static {
        MemoryDisk disk = new MemoryDisk();
        try (FileBlockStore store = FileBlockStore.open(disk, BS, true)) {
            long next = 0;
            for (int count : new int[] {1, 1, 3, 1, 2, 5, 1, 1, 40, 2, 1}) {
                next = store.append(next, BlockModel.blocks(BS, next, count, 0), count);
            }
            store.free(4);
            TEMPLATE_NEXT = next;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        TEMPLATE = disk.snapshot();
    }

    @FuzzTest
    void anyDamageIsRefusedOrRecoveredAndNeverServesWrongBytes(FuzzedDataProvider data) throws IOException {
        Map<String, byte[]> files = MemoryDisk.of(TEMPLATE).snapshot();
        int damages = data.consumeInt(1, 4);
        for (int i = 0; i < damages && !files.isEmpty(); i++) {
            List<String> names = new ArrayList<>(files.keySet());
            String name = names.get(data.consumeInt(0, names.size() - 1));
            byte[] damaged = damage(files.get(name), data);
            if (damaged == null) {
                files.remove(name);
            } else {
                files.put(name, damaged);
            }
        }
        long totalBytes = files.values().stream().mapToLong(f -> f.length).sum();
        MemoryDisk disk = MemoryDisk.of(files);
        FileBlockStore store;
        try {
            store = FileBlockStore.open(disk, BS, true);
        } catch (StorageException refused) {
            assertReadsBounded(disk, totalBytes, files.size());
            return;
        }
        assertReadsBounded(disk, totalBytes, files.size());
        try (FileBlockStore opened = store) {
            assertThat(opened.nextBlock()).as("nextBlock").isLessThanOrEqualTo(TEMPLATE_NEXT);
            for (long b = opened.minBlock(); b < opened.nextBlock(); b++) {
                try {
                    assertThat(opened.read(b)).as("block %d", b).isEqualTo(BlockModel.block(BS, b, 0));
                } catch (CorruptBlockException damagedBlock) {
                    // found by the GET that reads it, as DESIGN.md says for older files
                }
            }
        }
    }

    /** One damage to one file's bytes; null removes the file. */
    private static byte[] damage(byte[] file, FuzzedDataProvider data) {
        int length = file.length;
        switch (data.consumeInt(0, 6)) {
            case 0: {
                if (length == 0) {
                    return file;
                }
                int bit = data.consumeInt(0, length * 8 - 1);
                file[bit / 8] ^= (byte) (1 << (bit % 8));
                return file;
            }
            case 1:
                if (length > 0) {
                    file[data.consumeInt(0, length - 1)] = data.consumeByte();
                }
                return file;
            case 2:
                return Arrays.copyOf(file, data.consumeInt(0, length));
            case 3: {
                int from = data.consumeInt(0, length);
                Arrays.fill(file, from, data.consumeInt(from, length), (byte) 0);
                return file;
            }
            case 4: {
                byte[] tail = data.consumeBoolean() ? new byte[data.consumeInt(1, 2 * SLOT)] : data.consumeBytes(2 * SLOT);
                byte[] longer = Arrays.copyOf(file, length + tail.length);
                System.arraycopy(tail, 0, longer, length, tail.length);
                return longer;
            }
            case 5: {
                // A range copied elsewhere: intact slots in the wrong place, or a misdirected write.
                if (length == 0) {
                    return file;
                }
                int from = data.consumeInt(0, length - 1);
                int count = data.consumeInt(1, Math.min(2 * SLOT, length - from));
                int to = data.consumeInt(0, length);
                byte[] copy = Arrays.copyOf(file, Math.max(length, to + count));
                System.arraycopy(file, from, copy, to, count);
                return copy;
            }
            default:
                return null;
        }
    }

    /** A few passes over the files at most, whatever the damage. */
    private static void assertReadsBounded(MemoryDisk disk, long totalBytes, int files) {
        assertThat(disk.reads()).as("reads for %d bytes in %d files", totalBytes, files)
                .isLessThanOrEqualTo(5 * (totalBytes / SLOT + 2) + 4L * files);
    }
}
