package io.kivaloo.lbs.storage;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Collectors;

import static io.kivaloo.lbs.storage.BlockFileFormat.HEADER_LENGTH;

/**
 * Start-up: finds the block files, checks that they form one gap-free range
 * written with this block size, and recovers from a crash by cutting off the
 * torn final APPEND (DESIGN.md "Recovery").
 *
 * <p>What is trusted, and why. Appends are serialised and each is made durable
 * before it is acknowledged and before the next one starts, and a new file is
 * only ever created by an APPEND after the previous one is durable. So after
 * any crash only the tail of the newest file can hold bytes of an
 * unacknowledged APPEND, and every earlier byte belongs to acknowledged ones:
 * <ul>
 *   <li>older files must be whole and intact, otherwise start-up fails;</li>
 *   <li>the newest file is read slot by slot and split into APPENDs using the
 *       APPEND extent (start, end) in each trailer. The longest prefix of
 *       complete APPENDs is kept. What follows may only be (part of) one
 *       further APPEND: every intact slot there must name the same extent,
 *       starting right after the kept prefix, and only zeros (the reserve
 *       written ahead of small APPENDs, or space never written) may follow
 *       that extent. Then it is the unacknowledged one and is cut off (and the
 *       cut fsynced). Otherwise acknowledged data is damaged and start-up fails
 *       naming file, block and offset, changing nothing;</li>
 *   <li>a newest file shorter than a header, or with an all-zero header and no
 *       intact slot, is an APPEND that crashed while creating its file; it is
 *       deleted.</li>
 * </ul>
 * That holds within one life of the process. Across a kill and restart the
 * kept bytes may still be only in the page cache, so the scan ends by syncing
 * every kept file and the directory ({@link #makeDurable}).
 */
final class StartupScan {

    private static final Logger log = LoggerFactory.getLogger(StartupScan.class);

    private final Disk disk;
    private final int blockSize;
    private final int slotLength;
    private final boolean sync;
    private final ByteBuffer slot;

    StartupScan(Disk disk, int blockSize, boolean sync) {
        this.disk = disk;
        this.blockSize = blockSize;
        this.slotLength = BlockFileFormat.slotLength(blockSize);
        this.sync = sync;
        this.slot = ByteBuffer.allocate(slotLength);
    }

    /** Scans and recovers; the returned table owns the opened files. */
    FileTable run() throws IOException {
        List<String> names = disk.listRegularFiles().stream()
                .filter(BlockFileFormat::isFileName)
                .sorted(Comparator.comparing(BlockFileFormat::firstBlockOf, Long::compareUnsigned))
                .collect(Collectors.toCollection(ArrayList::new));
        if (names.isEmpty()) {
            log.info("storage empty dir={}", disk.describe());
            makeDurable(List.of());
            return FileTable.EMPTY;
        }
        String newest = names.get(names.size() - 1);
        if (removeIfTornCreation(newest)) {
            names.remove(names.size() - 1);
            if (names.isEmpty()) {
                return FileTable.EMPTY;
            }
        }
        List<BlockFile> files = new ArrayList<>();
        try {
            long next = 0;
            for (int i = 0; i < names.size(); i++) {
                String name = names.get(i);
                DataFile data = disk.open(name);
                BlockFile file = new BlockFile(name, BlockFileFormat.firstBlockOf(name), data);
                files.add(file);
                checkHeader(file);
                if (i > 0 && file.firstBlock() != next) {
                    throw new StorageException("Start of block storage file does not match end of previous file file="
                            + name + " start=" + Long.toUnsignedString(file.firstBlock())
                            + " expected=" + Long.toUnsignedString(next));
                }
                boolean last = i == names.size() - 1;
                next = file.firstBlock() + (last ? recoverNewest(file) : checkOlder(file));
            }
            makeDurable(files);
            FileTable table = FileTable.of(files, next);
            log.info("storage opened dir={} files={} minBlock={} nextBlock={}", disk.describe(), files.size(),
                    Long.toUnsignedString(table.minBlock()), Long.toUnsignedString(table.nextBlock()));
            return table;
        } catch (IOException | RuntimeException e) {
            for (BlockFile file : files) {
                file.retire();
            }
            throw e;
        }
    }

    /**
     * Syncs every kept file and the directory before anything is served. A
     * killed process (the machine kept running) leaves what it wrote but did
     * not sync in the page cache, where this scan finds it whole and keeps it:
     * an APPEND that was never acknowledged, or a file whose creation or
     * deletion no directory fsync made durable. kvlds builds on what lbs
     * reports, and later APPENDs are synced and acknowledged on top of it, so
     * a power loss after them must not take it away (issue 19 item 5). Syncing
     * a file that holds nothing unsynced costs little.
     */
    private void makeDurable(List<BlockFile> files) throws IOException {
        if (!sync) {
            return;
        }
        for (BlockFile file : files) {
            file.data().force();
        }
        disk.syncDirectory();
    }

    /** Deletes the newest file if it is an APPEND that crashed while creating it (nothing in it was acknowledged). */
    private boolean removeIfTornCreation(String name) throws IOException {
        long first = BlockFileFormat.firstBlockOf(name);
        try (DataFile data = disk.open(name)) {
            long size = data.size();
            if (size >= HEADER_LENGTH) {
                ByteBuffer header = ByteBuffer.allocate(HEADER_LENGTH);
                data.readFully(header, 0);
                for (int i = 0; i < HEADER_LENGTH; i++) {
                    if (header.get(i) != 0) {
                        return false;
                    }
                }
                long slots = (size - HEADER_LENGTH) / slotLength;
                for (long k = 0; k < slots; k++) {
                    if (readSlot(data, k) && BlockFileFormat.checkSlot(slot, blockSize, first + k)
                            != BlockFileFormat.SlotState.BAD_CRC) {
                        return false; // intact data behind a zeroed header: damage, reported by checkHeader
                    }
                }
            }
            log.warn("removing block file left by an interrupted APPEND file={} length={}", name, size);
        }
        disk.delete(name);
        if (sync) {
            disk.syncDirectory();
        }
        return true;
    }

    private void checkHeader(BlockFile file) throws IOException {
        DataFile data = file.data();
        if (data.size() < HEADER_LENGTH) {
            throw new StorageException("block file too short for a header file=" + file.name() + " length=" + data.size());
        }
        ByteBuffer bytes = ByteBuffer.allocate(HEADER_LENGTH);
        data.readFully(bytes, 0);
        bytes.flip();
        BlockFileFormat.Header header = BlockFileFormat.parseHeader(bytes);
        if (!header.valid()) {
            throw new StorageException("bad block file header file=" + file.name() + " problem=" + header.problem());
        }
        if (header.firstBlock() != file.firstBlock()) {
            throw new StorageException("block file header names another first block file=" + file.name()
                    + " header=" + Long.toUnsignedString(header.firstBlock()));
        }
        if (header.blockSize() != blockSize) {
            throw new StorageException("storage directory was written with block size " + header.blockSize()
                    + ", not " + blockSize + "; restart with -b " + header.blockSize() + " (file=" + file.name() + ")");
        }
    }

    /** An older file must hold whole blocks; its last block is checked as a sample. Returns its block count. */
    private long checkOlder(BlockFile file) throws IOException {
        long body = file.data().size() - HEADER_LENGTH;
        if (body % slotLength != 0) {
            throw new StorageException("block file is not a whole number of blocks and is not the newest file file="
                    + file.name() + " length=" + file.data().size());
        }
        long count = body / slotLength;
        if (count > 0) {
            long index = count - 1;
            readSlot(file.data(), index);
            BlockFileFormat.SlotState state = BlockFileFormat.checkSlot(slot, blockSize, file.firstBlock() + index);
            if (state != BlockFileFormat.SlotState.VALID) {
                throw corrupt(file, index, state.toString());
            }
        }
        return count;
    }

    /** Keeps the complete APPENDs of the newest file and cuts off a torn final one. Returns the kept block count. */
    private long recoverNewest(BlockFile file) throws IOException {
        DataFile data = file.data();
        long size = data.size();
        long slots = (size - HEADER_LENGTH) / slotLength;
        long first = file.firstBlock();
        long kept = completeAppends(file, slots);
        long keptLength = BlockFileFormat.slotOffset(blockSize, kept);
        if (keptLength == size) {
            return kept;
        }
        if (zeroFrom(data, keptLength)) {
            // The reserve, or an APPEND whose data a power loss left as zeros: never acknowledged either way,
            // since an acknowledged APPEND was synced. Said once per start, so that the decision is visible.
            log.info("zeros after the last complete APPEND, kept as reserve file={} keptBlocks={} zeroBytes={} nextBlock={}",
                    file.name(), kept, size - keptLength, Long.toUnsignedString(first + kept));
            return kept;
        }
        checkTailIsOneAppend(file, kept, slots);
        data.truncate(keptLength);
        if (sync) {
            // Before anything new is written behind it: a later file must never follow a tail that reappears.
            data.force();
        }
        log.warn("cut off an interrupted APPEND file={} keptBlocks={} droppedBytes={} nextBlock={}", file.name(), kept,
                size - keptLength, Long.toUnsignedString(first + kept));
        return kept;
    }

    /** Number of leading slots that form complete, intact APPENDs. */
    private long completeAppends(BlockFile file, long slots) throws IOException {
        long first = file.firstBlock();
        long kept = 0;
        while (kept < slots) {
            if (!validAt(file, kept)) {
                return kept;
            }
            if (BlockFileFormat.appendStart(slot, blockSize) != first + kept) {
                return kept;
            }
            long end = BlockFileFormat.appendEnd(slot, blockSize) - first;
            // An APPEND never spans files, so its end lies within this file if it is complete.
            if (Long.compareUnsigned(end, kept) <= 0 || Long.compareUnsigned(end, slots) > 0) {
                return kept;
            }
            long appendEnd = first + end;
            for (long k = kept + 1; k < end; k++) {
                if (!validAt(file, k) || BlockFileFormat.appendEnd(slot, blockSize) != appendEnd
                        || BlockFileFormat.appendStart(slot, blockSize) != first + kept) {
                    return kept;
                }
            }
            kept = end;
        }
        return kept;
    }

    /**
     * Everything after the complete APPENDs must be one APPEND that did not
     * finish; an intact slot that says otherwise means acknowledged data was
     * damaged.
     */
    private void checkTailIsOneAppend(BlockFile file, long kept, long slots) throws IOException {
        long first = file.firstBlock();
        long tailEnd = 0;
        boolean seen = false;
        long firstDamaged = -1;
        String problem = null;
        for (long k = kept; k < slots; k++) {
            readSlot(file.data(), k);
            BlockFileFormat.SlotState state = BlockFileFormat.checkSlot(slot, blockSize, first + k);
            if (state == BlockFileFormat.SlotState.BAD_CRC) {
                firstDamaged = firstDamaged < 0 ? k : firstDamaged;
                continue;
            }
            if (state == BlockFileFormat.SlotState.WRONG_BLOCK) {
                throw corrupt(file, k, "intact block " + Long.toUnsignedString(BlockFileFormat.recordedBlock(slot, blockSize))
                        + " in the wrong place");
            }
            long end = BlockFileFormat.appendEnd(slot, blockSize);
            if (BlockFileFormat.appendStart(slot, blockSize) != first + kept || (seen && end != tailEnd)) {
                problem = problem != null ? problem : "damaged block followed by intact blocks of a later APPEND";
            }
            seen = true;
            tailEnd = end;
        }
        if (problem == null && seen && Long.compareUnsigned(tailEnd - first, slots) <= 0
                && !zeroFrom(file.data(), BlockFileFormat.slotOffset(blockSize, tailEnd - first))) {
            // Only the zero reserve may follow the APPEND in flight: data there means a later APPEND was written.
            problem = "damaged block inside an APPEND that was followed by more data";
        }
        if (problem != null) {
            throw corrupt(file, firstDamaged < 0 ? kept : firstDamaged, problem);
        }
    }

    /** True if every byte from {@code position} to the end of the file is zero (never written, or the reserve). */
    private boolean zeroFrom(DataFile data, long position) throws IOException {
        long at = position;
        while (true) {
            slot.clear();
            boolean more = data.readFully(slot, at);
            int n = slot.position();
            for (int i = 0; i < n; i++) {
                if (slot.get(i) != 0) {
                    return false;
                }
            }
            if (!more) {
                return true;
            }
            at += n;
        }
    }

    private boolean validAt(BlockFile file, long index) throws IOException {
        return readSlot(file.data(), index)
                && BlockFileFormat.checkSlot(slot, blockSize, file.firstBlock() + index) == BlockFileFormat.SlotState.VALID;
    }

    private boolean readSlot(DataFile data, long index) throws IOException {
        slot.clear();
        boolean whole = data.readFully(slot, BlockFileFormat.slotOffset(blockSize, index));
        slot.flip();
        return whole;
    }

    private StorageException corrupt(BlockFile file, long index, String problem) {
        long block = file.firstBlock() + index;
        return new CorruptBlockException(file.name(), block, BlockFileFormat.slotOffset(blockSize, index),
                problem + "; acknowledged data is damaged, refusing to start (nothing was changed)");
    }
}
