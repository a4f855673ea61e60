package io.kivaloo.kvlds.page;

/**
 * The on-disk page format (kvlds.md §4), byte-compatible with the C kvlds so
 * that either daemon can read the other's tree. A page fills one lbs block:
 *
 * <pre>
 * offset size field
 *   0     6   magic "KVLDS\0"
 *   6     2   N = number of keys (leaf) or separators (parent), big-endian
 *   8     1   height (0 = leaf), + 0x80 when this page is the root
 *   9     1   mlen: length of the prefix shared by every key the node's range can hold
 *  10     8   root pages only: nnodes, the number of nodes in the whole tree
 * 10|18   ..  body
 * leaf body:   N keys as (u8 len, bytes), then N values as (u8 len, bytes)
 * parent body: N separators as (u8 len, bytes), then N+1 child descriptors of
 *              [u64 child block][u64 oldest leaf in the child's subtree][u32 child's page size]
 * </pre>
 * Every byte after the body is zero. There is no checksum: {@link PageValidator}
 * checks structure and consistency with the parent instead.
 */
public final class PageFormat {

    static final byte[] MAGIC = {'K', 'V', 'L', 'D', 'S', 0};
    static final int NKEYS_OFFSET = 6;
    static final int HEIGHT_OFFSET = 8;
    static final int MLEN_OFFSET = 9;
    /** Header of every page, in bytes. */
    public static final int HEADER = 10;
    /** Extra header bytes of a root page (nnodes). */
    public static final int ROOT_EXTRA = 8;
    /** One child descriptor of a parent page, in bytes. */
    public static final int CHILD = 20;
    static final int ROOT_FLAG = 0x80;
    /** Heights fit in the 7 bits below the root flag. */
    public static final int MAX_HEIGHT = 0x7f;
    static final int MAX_KEYS = 0xffff;

    private PageFormat() {
    }

    /** Bytes one pair adds to a leaf page: two length bytes plus the strings. */
    public static int pairSize(int keyLength, int valueLength) {
        return 2 + keyLength + valueLength;
    }

    /** Bytes one separator and the child to its right add to a parent page. */
    public static int separatorSize(int separatorLength) {
        return 1 + separatorLength + CHILD;
    }

    /** The split point: nodes are split into parts of about this size, and merged while they stay within it. */
    public static int breakAt(int blockSize) {
        return 2 * blockSize / 3;
    }
}
