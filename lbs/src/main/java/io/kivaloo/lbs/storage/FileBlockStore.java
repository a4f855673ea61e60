package io.kivaloo.lbs.storage;

import io.kivaloo.proto.lbs.store.BlockSizeRange;
import io.kivaloo.proto.lbs.store.StoreFailedException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.ByteBuffer;

/**
 * The log-structured block store: fixed-size blocks numbered from 0,
 * appended at the end, read by number, released from the front a whole file
 * at a time (DESIGN.md "Model").
 *
 * <p>Threads: {@link #read} from any number of threads at once;
 * {@link #append} from one thread at a time (the writer); {@link #free} from
 * one thread at a time (the deleter), concurrently with appends. Every change
 * is made on disk first (and made durable unless {@code sync} is off); only
 * then is a new {@link FileTable} published, so a reader never sees a block
 * that is not on disk and an APPEND's blocks appear all at once.
 *
 * <p>Fail-stop: the first I/O error of an append or a deletion is kept and
 * every later append or deletion fails with it, because after a failed write
 * or fsync nobody knows what is on disk beyond the acknowledged blocks.
 */
public final class FileBlockStore implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(FileBlockStore.class);

    /** New-file rule (lbs.md §5.2): start a file when the last holds more than 1/2^4 of the live blocks. */
    private static final int ROTATION_SHIFT = 4;
    /** Blocks staged per write call, so that huge APPENDs do not need a huge buffer. */
    private static final int WRITE_CHUNK_BYTES = 1 << 20;
    /** Upper bound of the zeros written ahead of small APPENDs (DESIGN.md "Zero reserve"). */
    private static final int MAX_RESERVE_BYTES = 1 << 20;
    /** Slots a reserve holds at most, so that stores of small blocks do not reserve more than they need. */
    private static final int RESERVE_SLOTS = 256;

    private final Disk disk;
    private final int blockSize;
    private final int slotLength;
    private final boolean sync;
    /** Current extent; replaced (never mutated) under {@code this}, read without locking. */
    private volatile FileTable table;
    /** First failure of a change to the disk; once set, no more changes (fail-stop). */
    private volatile StoreFailedException failure;
    /** The writer's staging buffer for slots (writer thread only). */
    private ByteBuffer staging;
    /** Bytes of zeros written ahead of a small APPEND that outruns the reserve. */
    private final int reserveBytes;
    /** {@code reserveBytes} zeros; never written to, so it stays zero. */
    private final ByteBuffer zeros;
    /**
     * Bytes of the newest file that exist on disk, data or reserved zeros
     * (writer thread only). A small APPEND that ends within it overwrites
     * allocated blocks and needs no metadata in its fdatasync.
     */
    private long newestFileLength;
    /** Set once writing a reserve failed (a full disk): none is written again until restart. Writer thread only. */
    private boolean reserveOff;

    private FileBlockStore(Disk disk, int blockSize, boolean sync, FileTable table) {
        this.disk = disk;
        this.blockSize = blockSize;
        this.slotLength = BlockFileFormat.slotLength(blockSize);
        this.sync = sync;
        this.table = table;
        int chunkSlots = Math.max(1, WRITE_CHUNK_BYTES / slotLength);
        this.staging = ByteBuffer.allocateDirect(BlockFileFormat.HEADER_LENGTH + chunkSlots * slotLength);
        this.reserveBytes = (int) Math.min(MAX_RESERVE_BYTES, (long) RESERVE_SLOTS * slotLength);
        this.zeros = ByteBuffer.allocateDirect(reserveBytes);
    }

    /**
     * Opens the store in {@code disk}, recovering from a crash (see {@link StartupScan}).
     *
     * @param sync false for {@code -L}: no fsync of files or of the directory anywhere
     * @throws StorageException if the directory holds data this store must not serve
     */
    public static FileBlockStore open(Disk disk, int blockSize, boolean sync) throws IOException {
        if (!BlockSizeRange.contains(blockSize)) {
            throw new IllegalArgumentException(BlockSizeRange.outOfRangeMessage());
        }
        FileTable table = new StartupScan(disk, blockSize, sync).run();
        FileBlockStore store = new FileBlockStore(disk, blockSize, sync, table);
        try {
            store.newestFileLength = table.files().isEmpty() ? 0 : table.lastFile().data().size();
        } catch (IOException | RuntimeException e) {
            // A refused start closes what the scan opened: the caller gets no store to close.
            store.close();
            throw e;
        }
        return store;
    }

    public int blockSize() {
        return blockSize;
    }

    /** The block the next APPEND must start at. */
    public long nextBlock() {
        return table.nextBlock();
    }

    /** The lowest block still stored. */
    public long minBlock() {
        return table.minBlock();
    }

    /** Number of block files (for tests and logs). */
    public int fileCount() {
        return table.files().size();
    }

    /**
     * Reads one block. Returns null when it is not stored: below the first
     * file, at or beyond {@link #nextBlock()}, or in a file a FREE deleted
     * while this read started.
     *
     * @throws CorruptBlockException if the stored bytes fail their check
     */
    public byte[] read(long block) throws IOException {
        FileTable current = table;
        if (!current.contains(block)) {
            return null;
        }
        BlockFile file = current.fileFor(block);
        if (!file.acquire()) {
            return null; // lost the race with FREE: "absent" is a correct answer (lbs.md §6)
        }
        try {
            ByteBuffer slot = ByteBuffer.allocate(slotLength);
            long offset = BlockFileFormat.slotOffset(blockSize, block - file.firstBlock());
            if (!file.readSlot(block, blockSize, slot)) {
                throw new CorruptBlockException(file.name(), block, offset, "file ends before the block (truncated)");
            }
            BlockFileFormat.SlotState state = BlockFileFormat.checkSlot(slot, blockSize, block);
            if (state != BlockFileFormat.SlotState.VALID) {
                String problem = state == BlockFileFormat.SlotState.BAD_CRC ? "CRC mismatch"
                        : "holds block " + Long.toUnsignedString(BlockFileFormat.recordedBlock(slot, blockSize));
                throw new CorruptBlockException(file.name(), block, offset, problem);
            }
            byte[] data = new byte[blockSize];
            slot.get(data);
            return data;
        } finally {
            file.release();
        }
    }

    /**
     * Appends {@code count} blocks held back to back in {@code data} at
     * {@code firstBlock}, which must be {@link #nextBlock()}. Returns once they
     * are durable (unless sync is off) and readable; the result is the new
     * next block.
     *
     * @throws StoreFailedException on an I/O error, now or earlier (fail-stop)
     */
    public long append(long firstBlock, byte[] data, int count) throws IOException {
        StoreFailedException failed = failure;
        if (failed != null) {
            throw failed;
        }
        FileTable current = table;
        if (firstBlock != current.nextBlock() || count <= 0 || data.length != (long) count * blockSize) {
            throw new IllegalArgumentException("append at " + Long.toUnsignedString(firstBlock) + " of " + count
                    + " blocks, " + data.length + " bytes; store expects block " + Long.toUnsignedString(current.nextBlock()));
        }
        long end = firstBlock + count;
        try {
            if (startsNewFile(current, count)) {
                appendToNewFile(current, firstBlock, end, data, count);
            } else {
                appendToLastFile(current, firstBlock, end, data, count);
            }
            return end;
        } catch (IOException | RuntimeException e) {
            throw fail("APPEND at block " + Long.toUnsignedString(firstBlock), e);
        }
    }

    /**
     * Whether an APPEND of {@code count} blocks starts a new file: there is
     * none yet, or the last holds more than 1/16 of the live blocks (so file
     * sizes grow geometrically and FREE can reclaim whole files), or the last
     * file would outgrow a {@code long} offset.
     */
    private boolean startsNewFile(FileTable current, int count) {
        if (current.files().isEmpty()) {
            return true;
        }
        long live = current.nextBlock() - current.minBlock();
        long inLast = current.lastFileBlocks();
        long maxSlots = (Long.MAX_VALUE - BlockFileFormat.HEADER_LENGTH) / slotLength;
        return Long.compareUnsigned(inLast, live >>> ROTATION_SHIFT) > 0 || inLast + count > maxSlots;
    }

    private void appendToNewFile(FileTable current, long firstBlock, long end, byte[] data, int count) throws IOException {
        if (!current.files().isEmpty()) {
            trimReserve(current);
        }
        String name = BlockFileFormat.fileName(firstBlock);
        DataFile created = disk.create(name);
        BlockFile file = new BlockFile(name, firstBlock, created);
        newestFileLength = 0;
        try {
            writeSlots(created, 0, true, firstBlock, end, data, count);
            reserveAfter(created, BlockFileFormat.slotOffset(blockSize, count), count);
            if (sync) {
                created.force();
                disk.syncDirectory(); // the new name must survive a power loss before we acknowledge
            }
        } catch (IOException | RuntimeException e) {
            file.retire();
            throw e;
        }
        publishAppend(file, end);
        log.debug("appended new file={} blocks={} nextBlock={}", name, count, Long.toUnsignedString(end));
    }

    private void appendToLastFile(FileTable current, long firstBlock, long end, byte[] data, int count) throws IOException {
        BlockFile last = current.lastFile();
        long position = BlockFileFormat.slotOffset(blockSize, current.lastFileBlocks());
        writeSlots(last.data(), position, false, firstBlock, end, data, count);
        reserveAfter(last.data(), position + (long) count * slotLength, count);
        if (sync) {
            last.data().force();
        }
        publishAppend(null, end);
    }

    /**
     * Keeps zeros written ahead of small APPENDs. Appending to a file changes
     * its length, so every fdatasync must also commit metadata through the
     * file system's journal; overwriting blocks that are already allocated
     * and written does not. A small APPEND that ends beyond the zeros
     * therefore writes the next reserve behind itself, in the same fdatasync.
     * Large APPENDs get none: their cost is bandwidth, which zeros would only
     * double. Recovery treats zeros behind the last APPEND as never written
     * (StartupScan).
     */
    private void reserveAfter(DataFile file, long dataEnd, int count) throws IOException {
        if (dataEnd <= newestFileLength) {
            return;
        }
        if ((long) count * slotLength > reserveBytes / 4) {
            newestFileLength = dataEnd;
            return;
        }
        if (reserveOff) {
            newestFileLength = dataEnd;
            return;
        }
        try {
            file.writeFully(zeros.duplicate(), dataEnd);
        } catch (IOException e) {
            // The reserve only saves journal commits. On a nearly full disk it
            // would fail an APPEND whose data fits, and the same APPEND again
            // after every restart: give the zeros back and go on without them.
            log.warn("zero reserve off until restart, the disk is full or failing offset={} reason={}", dataEnd, e.getMessage());
            reserveOff = true;
            file.truncate(dataEnd);
            newestFileLength = dataEnd;
            return;
        }
        newestFileLength = dataEnd + reserveBytes;
    }

    /**
     * Cuts the reserve off the newest file before a newer one is created:
     * only the newest file may end in anything but whole, intact blocks.
     */
    private void trimReserve(FileTable current) throws IOException {
        long dataEnd = BlockFileFormat.slotOffset(blockSize, current.lastFileBlocks());
        if (newestFileLength <= dataEnd) {
            return;
        }
        DataFile last = current.lastFile().data();
        last.truncate(dataEnd);
        if (sync) {
            last.force(); // before the new file exists: a restart must find the old one whole
        }
        newestFileLength = dataEnd;
    }

    /** Writes the header (for a new file) and the slots of one APPEND, a chunk at a time. */
    private void writeSlots(DataFile file, long position, boolean header, long firstBlock, long end, byte[] data,
                            int count) throws IOException {
        ByteBuffer out = staging;
        out.clear();
        if (header) {
            BlockFileFormat.putHeader(out, firstBlock, blockSize);
        }
        long at = position;
        for (int i = 0; i < count; i++) {
            if (out.remaining() < slotLength) {
                out.flip();
                int n = out.remaining();
                file.writeFully(out, at);
                at += n;
                out.clear();
            }
            out.put(data, i * blockSize, blockSize);
            BlockFileFormat.putTrailer(out, blockSize, firstBlock + i, firstBlock, end);
        }
        out.flip();
        file.writeFully(out, at);
    }

    /**
     * Deletes whole files that hold only blocks below {@code below}, oldest
     * first, never the last file (it carries {@link #nextBlock()} across
     * restarts). Advisory: a block at or above {@code below} is never
     * deleted. Returns the number of files deleted.
     *
     * @throws StoreFailedException on an I/O error, now or earlier (fail-stop)
     */
    public int free(long below) throws IOException {
        int deleted = 0;
        while (true) {
            StoreFailedException failed = failure;
            if (failed != null) {
                throw failed;
            }
            FileTable current = table;
            if (current.files().size() < 2) {
                return deleted;
            }
            BlockFile oldest = current.files().get(0);
            long oldestEnd = current.files().get(1).firstBlock();
            if (Long.compareUnsigned(oldestEnd, below) > 0) {
                return deleted;
            }
            try {
                disk.delete(oldest.name());
                if (sync) {
                    disk.syncDirectory();
                }
            } catch (IOException | RuntimeException e) {
                throw fail("FREE of file " + oldest.name(), e);
            }
            publishWithoutFirstFile(oldest);
            oldest.retire();
            deleted++;
            log.debug("freed file={} minBlock={}", oldest.name(), Long.toUnsignedString(oldestEnd));
        }
    }

    /** The first failure, or null while the store is healthy. */
    public StoreFailedException failure() {
        return failure;
    }

    /**
     * Publishes an APPEND's blocks, after they are on disk. Applied to the
     * table as it is now: the deleter may have dropped first files meanwhile.
     */
    private synchronized void publishAppend(BlockFile newLastFile, long end) {
        table = newLastFile == null ? table.withNextBlock(end) : table.withNewLastFile(newLastFile, end);
    }

    private synchronized void publishWithoutFirstFile(BlockFile oldest) {
        FileTable now = table;
        if (!now.files().isEmpty() && now.files().get(0) == oldest) {
            table = now.withoutFirstFile();
        }
    }

    private StoreFailedException fail(String operation, Throwable cause) {
        synchronized (this) {
            if (failure == null) {
                failure = new StoreFailedException("block store stopped after an I/O error during " + operation + ": "
                        + cause.getMessage(), cause);
                log.error("storage failure, accepting no more changes operation={}", operation, cause);
            }
            return failure;
        }
    }

    /** Closes every file handle; readers still in flight finish first. */
    @Override
    public synchronized void close() {
        for (BlockFile file : table.files()) {
            file.retire();
        }
        table = FileTable.EMPTY;
    }
}
