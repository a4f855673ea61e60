package io.kivaloo.kvlds.page;

import io.kivaloo.proto.kvlds.Key;
import java.util.Arrays;

/**
 * Turns a block read from lbs into a {@link Page}, checking everything a
 * page can show on its own (magic, counts, lengths within the page, sorted
 * unique keys, the shared prefix, child numbers older than the page and below
 * the log's next block, oldest-leaf fields no newer than their child, zero
 * padding), and then, with {@link #check}, what the parent says about it
 * (height, root flag, key range, descriptor size and oldest leaf). Together
 * the checks rule out cycles (children are strictly older than their parent)
 * and reading a page from the wrong place.
 */
public final class PageValidator {

    private final int blockSize;

    public PageValidator(int blockSize) {
        this.blockSize = blockSize;
    }

    public int blockSize() {
        return blockSize;
    }

    /**
     * Parses and checks a block on its own.
     *
     * @param nextBlock the log's next block: every child must be below it
     */
    public Page parse(long block, byte[] bytes, long nextBlock) throws CorruptPageException {
        if (bytes.length != blockSize) {
            throw new CorruptPageException(block, "length", "=" + blockSize, bytes.length);
        }
        if (!Arrays.equals(bytes, 0, PageFormat.MAGIC.length, PageFormat.MAGIC, 0, PageFormat.MAGIC.length)) {
            throw new CorruptPageException(block, "magic", "=KVLDS\\0", hex(bytes, 0, PageFormat.MAGIC.length));
        }
        int nkeys = u16(bytes, PageFormat.NKEYS_OFFSET);
        int heightByte = bytes[PageFormat.HEIGHT_OFFSET] & 0xff;
        int height = heightByte & PageFormat.MAX_HEIGHT;
        boolean root = (heightByte & PageFormat.ROOT_FLAG) != 0;
        int mlen = bytes[PageFormat.MLEN_OFFSET] & 0xff;
        int offset = PageFormat.HEADER;
        long nnodes = 0;
        if (root) {
            nnodes = u64(bytes, offset);
            offset += PageFormat.ROOT_EXTRA;
            if (nnodes == 0) {
                throw new CorruptPageException(block, "nnodes", ">=1", 0);
            }
        }
        Page page = height == 0
                ? parseLeaf(block, bytes, root, nnodes, mlen, nkeys, offset)
                : parseParent(block, bytes, height, root, nnodes, mlen, nkeys, offset, nextBlock);
        for (int i = page.size; i < bytes.length; i++) {
            if (bytes[i] != 0) {
                throw new CorruptPageException(block, "padding[" + i + "]", "=0", bytes[i] & 0xff);
            }
        }
        return page;
    }

    private LeafPage parseLeaf(long block, byte[] bytes, boolean root, long nnodes, int mlen, int nkeys, int offset)
            throws CorruptPageException {
        int maxKeys = (blockSize - offset) / 2;
        if (nkeys > maxKeys) {
            throw new CorruptPageException(block, "nkeys", "<=" + maxKeys, nkeys);
        }
        int[] keyOffsets = new int[nkeys];
        offset = readStrings(block, bytes, offset, keyOffsets, "key");
        int[] valueOffsets = new int[nkeys];
        offset = readStrings(block, bytes, offset, valueOffsets, "value");
        checkKeys(block, bytes, keyOffsets, mlen, "key");
        return new LeafPage(block, bytes, root, nnodes, mlen, offset, keyOffsets, valueOffsets);
    }

    private ParentPage parseParent(long block, byte[] bytes, int height, boolean root, long nnodes, int mlen, int nkeys,
                                   int offset, long nextBlock) throws CorruptPageException {
        int maxKeys = (blockSize - offset - PageFormat.CHILD) / (1 + PageFormat.CHILD);
        if (nkeys > maxKeys) {
            throw new CorruptPageException(block, "nkeys", "<=" + maxKeys, nkeys);
        }
        if (root && nkeys == 0) {
            throw new CorruptPageException(block, "nkeys", ">=1 (a root parent has two children or more)", 0);
        }
        int[] keyOffsets = new int[nkeys];
        offset = readStrings(block, bytes, offset, keyOffsets, "separator");
        checkKeys(block, bytes, keyOffsets, mlen, "separator");
        int children = nkeys + 1;
        if (offset + children * PageFormat.CHILD > bytes.length) {
            throw new CorruptPageException(block, "children", "<=" + (bytes.length - offset) / PageFormat.CHILD, children);
        }
        long[] childBlocks = new long[children];
        long[] oldest = new long[children];
        int[] sizes = new int[children];
        for (int i = 0; i < children; i++) {
            long child = u64(bytes, offset);
            long childOldest = u64(bytes, offset + 8);
            long childSize = u32(bytes, offset + 16);
            offset += PageFormat.CHILD;
            if (Long.compareUnsigned(child, block) >= 0 || Long.compareUnsigned(child, nextBlock) >= 0) {
                throw new CorruptPageException(block, "child[" + i + "].block",
                        "<" + Long.toUnsignedString(Math.min(block, nextBlock)), Long.toUnsignedString(child));
            }
            if (height == 1 ? childOldest != child : Long.compareUnsigned(childOldest, child) >= 0) {
                throw new CorruptPageException(block, "child[" + i + "].oldestLeaf",
                        (height == 1 ? "=" : "<") + Long.toUnsignedString(child), Long.toUnsignedString(childOldest));
            }
            if (childSize < PageFormat.HEADER || childSize > blockSize) {
                throw new CorruptPageException(block, "child[" + i + "].size", " in [" + PageFormat.HEADER + "," + blockSize + "]", childSize);
            }
            childBlocks[i] = child;
            oldest[i] = childOldest;
            sizes[i] = (int) childSize;
        }
        return new ParentPage(block, bytes, height, root, nnodes, mlen, offset, keyOffsets, childBlocks, oldest, sizes);
    }

    /** Reads {@code offsets.length} strings from {@code offset}; returns the offset after them. */
    private static int readStrings(long block, byte[] bytes, int offset, int[] offsets, String field) throws CorruptPageException {
        for (int i = 0; i < offsets.length; i++) {
            if (offset >= bytes.length) {
                throw new CorruptPageException(block, field + "[" + i + "].offset", "<" + bytes.length, offset);
            }
            int length = bytes[offset] & 0xff;
            if (offset + 1 + length > bytes.length) {
                throw new CorruptPageException(block, field + "[" + i + "].length", "<=" + (bytes.length - offset - 1), length);
            }
            offsets[i] = offset;
            offset += 1 + length;
        }
        return offset;
    }

    /** Keys strictly increasing, and all sharing the first {@code mlen} bytes (a C reader skips them). */
    private static void checkKeys(long block, byte[] bytes, int[] offsets, int mlen, String field) throws CorruptPageException {
        for (int i = 0; i < offsets.length; i++) {
            int o = offsets[i] + 1;
            int length = bytes[o - 1] & 0xff;
            if (i > 0) {
                int p = offsets[i - 1] + 1;
                if (Arrays.compareUnsigned(bytes, p, p + (bytes[p - 1] & 0xff), bytes, o, o + length) >= 0) {
                    throw new CorruptPageException(block, field + "[" + i + "]", ">" + field + "[" + (i - 1) + "]", "not greater");
                }
            }
            if (mlen > 0) {
                int first = offsets[0] + 1;
                if (length < mlen || !Arrays.equals(bytes, first, first + mlen, bytes, o, o + mlen)) {
                    throw new CorruptPageException(block, field + "[" + i + "]", " sharing the first mlen=" + mlen + " bytes", "different");
                }
            }
        }
    }

    /** Checks {@code page} against what its parent says about it. */
    public void check(Page page, PageExpectation expected) throws CorruptPageException {
        long block = page.block;
        if (page.root) {
            throw new CorruptPageException(block, "rootFlag", "=0 (a child page)", 1);
        }
        if (page.height != expected.height()) {
            throw new CorruptPageException(block, "height", "=" + expected.height(), page.height);
        }
        if (Long.compareUnsigned(block, expected.parentBlock()) >= 0) {
            throw new CorruptPageException(block, "block", "<" + Long.toUnsignedString(expected.parentBlock()), Long.toUnsignedString(block));
        }
        if (page.size != expected.size()) {
            throw new CorruptPageException(block, "size", "=" + expected.size() + " (parent's descriptor)", page.size);
        }
        if (page.oldestLeaf() != expected.oldestLeaf()) {
            throw new CorruptPageException(block, "oldestLeaf", "=" + Long.toUnsignedString(expected.oldestLeaf()) + " (parent's descriptor)",
                    Long.toUnsignedString(page.oldestLeaf()));
        }
        int n = page.keyCount();
        if (n > 0) {
            if (expected.low() != null && page.compareKey(0, expected.low()) < 0) {
                throw new CorruptPageException(block, "key[0]", ">=" + expected.low(), page.key(0));
            }
            if (expected.high() != null && page.compareKey(n - 1, expected.high()) >= 0) {
                throw new CorruptPageException(block, "key[" + (n - 1) + "]", "<" + expected.high(), page.key(n - 1));
            }
        }
    }

    /** {@link #parse} then {@link #check}: a child page fetched through its parent. */
    public Page parseChild(long block, byte[] bytes, long nextBlock, PageExpectation expected) throws CorruptPageException {
        Page page = parse(block, bytes, nextBlock);
        check(page, expected);
        return page;
    }

    private static int u16(byte[] b, int o) {
        return (b[o] & 0xff) << 8 | (b[o + 1] & 0xff);
    }

    private static long u32(byte[] b, int o) {
        return (long) (b[o] & 0xff) << 24 | (b[o + 1] & 0xff) << 16 | (b[o + 2] & 0xff) << 8 | (b[o + 3] & 0xff);
    }

    private static long u64(byte[] b, int o) {
        return u32(b, o) << 32 | u32(b, o + 4);
    }

    private static String hex(byte[] b, int offset, int length) {
        StringBuilder sb = new StringBuilder();
        for (int i = offset; i < offset + length; i++) {
            sb.append(String.format("%02x", b[i] & 0xff));
        }
        return sb.toString();
    }

}
