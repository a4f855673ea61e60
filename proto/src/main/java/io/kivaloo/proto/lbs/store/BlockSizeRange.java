package io.kivaloo.proto.lbs.store;

/**
 * The block sizes an LBS block store may have, and the one message for a
 * size outside them: 512 to 131072 bytes, as the C lbs and kvlds accept
 * (lbs.md, option `-b`; kvlds.md, start-up). lbs and lbs-s3 check their {@code -b} against it,
 * kvlds the block size its lbs announces.
 */
public final class BlockSizeRange {

    public static final int MIN_BLOCK_SIZE = 512;
    public static final int MAX_BLOCK_SIZE = 131072;

    private BlockSizeRange() {
    }

    public static boolean contains(long blockSize) {
        return blockSize >= MIN_BLOCK_SIZE && blockSize <= MAX_BLOCK_SIZE;
    }

    /** The C lbs's words for a {@code -b} outside the range. */
    public static String outOfRangeMessage() {
        return "Block size must be in [" + MIN_BLOCK_SIZE + ", " + MAX_BLOCK_SIZE + "]";
    }
}
