package io.kivaloo.kvlds.page;

/** Pages for tests that need a valid page at some block and do not care what it holds. */
public final class TestPages {

    private TestPages() {
    }

    /** An empty root leaf of {@code blockSize} bytes, parsed as stored at {@code block}. */
    public static Page emptyRootAt(long block, int blockSize) {
        try {
            return new PageValidator(blockSize).parse(block, PageWriter.emptyRoot(blockSize), block + 1);
        } catch (CorruptPageException e) {
            throw new AssertionError(e);
        }
    }
}
