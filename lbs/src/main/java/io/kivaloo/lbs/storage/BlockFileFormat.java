package io.kivaloo.lbs.storage;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.zip.CRC32C;

/**
 * On-disk layout of a block file. All integers are big-endian.
 *
 * <p>Name: {@code blks_} followed by 16 lowercase hex digits, the number of
 * the file's first block (as the original, so a listing reads the same).
 *
 * <pre>
 * header, 32 bytes at offset 0
 *   0   8  magic "KVLBSJ01"
 *   8   8  first block number (must match the name)
 *   16  4  block size in bytes (a restart with another -b is refused)
 *   20  8  reserved, zero
 *   28  4  CRC32C of bytes 0..27
 *
 * slot i, at HEADER_LENGTH + i * slotLength(blockSize), holds block (first + i)
 *   0           blockSize  block data
 *   blockSize   8          block number
 *   +8          8          append start: first block of the APPEND that wrote this block
 *   +16         8          append end: the block after that APPEND's last block
 *   +24         4          CRC32C of the data and the 24 bytes before this field
 * </pre>
 *
 * <p>Why a trailer per block: the CRC catches torn and rotted data, the block
 * number catches a block read from the wrong place, and the APPEND's extent
 * lets recovery tell a torn final APPEND (which was never acknowledged and may
 * be cut off) from damage inside acknowledged data (which must be reported).
 */
public final class BlockFileFormat {

    public static final String NAME_PREFIX = "blks_";
    private static final int NAME_DIGITS = 16;

    public static final int HEADER_LENGTH = 32;
    private static final byte[] MAGIC = "KVLBSJ01".getBytes(StandardCharsets.US_ASCII);
    private static final int HEADER_FIRST_BLOCK = 8;
    private static final int HEADER_BLOCK_SIZE = 16;
    private static final int HEADER_CRC = 28;

    public static final int TRAILER_LENGTH = 28;
    private static final int TRAILER_BLOCK = 0;
    private static final int TRAILER_APPEND_START = 8;
    private static final int TRAILER_APPEND_END = 16;
    private static final int TRAILER_CRC = 24;

    private BlockFileFormat() {
    }

    /** {@code blks_} and the first block number as 16 lowercase hex digits. */
    public static String fileName(long firstBlock) {
        String hex = Long.toHexString(firstBlock);
        return NAME_PREFIX + "0".repeat(NAME_DIGITS - hex.length()) + hex;
    }

    /** True if {@code name} is exactly a block file name; only lowercase hex is valid (lbs.md §5.1). */
    public static boolean isFileName(String name) {
        if (name.length() != NAME_PREFIX.length() + NAME_DIGITS || !name.startsWith(NAME_PREFIX)) {
            return false;
        }
        for (int i = NAME_PREFIX.length(); i < name.length(); i++) {
            char c = name.charAt(i);
            if (!(c >= '0' && c <= '9') && !(c >= 'a' && c <= 'f')) {
                return false;
            }
        }
        return true;
    }

    /** The first block number a valid {@link #isFileName file name} stands for. */
    public static long firstBlockOf(String name) {
        return Long.parseUnsignedLong(name.substring(NAME_PREFIX.length()), 16);
    }

    /** Bytes one block occupies on disk: the data and its trailer. */
    public static int slotLength(int blockSize) {
        return blockSize + TRAILER_LENGTH;
    }

    /** Byte offset of slot {@code index}. */
    public static long slotOffset(int blockSize, long index) {
        return HEADER_LENGTH + index * slotLength(blockSize);
    }

    /** Writes the header of a file starting at {@code firstBlock} at the buffer's position. */
    public static void putHeader(ByteBuffer out, long firstBlock, int blockSize) {
        int start = out.position();
        out.put(MAGIC).putLong(firstBlock).putInt(blockSize).putLong(0);
        out.putInt(crc(out, start, HEADER_CRC));
    }

    /** The header's fields, or why they cannot be trusted. */
    public record Header(boolean valid, long firstBlock, int blockSize, String problem) {
    }

    /** Parses a header held in {@code in} from its position on ({@link #HEADER_LENGTH} bytes). */
    public static Header parseHeader(ByteBuffer in) {
        int start = in.position();
        for (int i = 0; i < MAGIC.length; i++) {
            if (in.get(start + i) != MAGIC[i]) {
                return new Header(false, 0, 0, "no header magic (not a block file of this lbs)");
            }
        }
        if (crc(in, start, HEADER_CRC) != in.getInt(start + HEADER_CRC)) {
            return new Header(false, 0, 0, "header CRC mismatch");
        }
        return new Header(true, in.getLong(start + HEADER_FIRST_BLOCK), in.getInt(start + HEADER_BLOCK_SIZE), null);
    }

    /** Writes the trailer of {@code block}, whose data are the {@code blockSize} bytes just put into {@code out}. */
    public static void putTrailer(ByteBuffer out, int blockSize, long block, long appendStart, long appendEnd) {
        int dataStart = out.position() - blockSize;
        out.putLong(block).putLong(appendStart).putLong(appendEnd);
        out.putInt(crc(out, dataStart, blockSize + TRAILER_CRC));
    }

    /** What a slot's trailer says about its contents. */
    public enum SlotState {
        /** CRC matches and the block number is the expected one. */
        VALID,
        /** Data or trailer damaged, torn or never written. */
        BAD_CRC,
        /** Intact, but another block's: read from the wrong place. */
        WRONG_BLOCK
    }

    /** Checks the slot held in {@code slot} from its position on ({@code slotLength} bytes). */
    public static SlotState checkSlot(ByteBuffer slot, int blockSize, long expectedBlock) {
        int start = slot.position();
        if (crc(slot, start, blockSize + TRAILER_CRC) != slot.getInt(start + blockSize + TRAILER_CRC)) {
            return SlotState.BAD_CRC;
        }
        if (slot.getLong(start + blockSize + TRAILER_BLOCK) != expectedBlock) {
            return SlotState.WRONG_BLOCK;
        }
        return SlotState.VALID;
    }

    /** The block number recorded in a slot's trailer (meaningful once the CRC has been checked). */
    public static long recordedBlock(ByteBuffer slot, int blockSize) {
        return slot.getLong(slot.position() + blockSize + TRAILER_BLOCK);
    }

    /** The append start recorded in a slot's trailer (meaningful once the slot has been checked). */
    public static long appendStart(ByteBuffer slot, int blockSize) {
        return slot.getLong(slot.position() + blockSize + TRAILER_APPEND_START);
    }

    /** The append end recorded in a slot's trailer (meaningful once the slot has been checked). */
    public static long appendEnd(ByteBuffer slot, int blockSize) {
        return slot.getLong(slot.position() + blockSize + TRAILER_APPEND_END);
    }

    private static int crc(ByteBuffer buffer, int offset, int length) {
        CRC32C crc = new CRC32C();
        ByteBuffer view = buffer.duplicate();
        view.limit(offset + length).position(offset);
        crc.update(view);
        return (int) crc.getValue();
    }
}
