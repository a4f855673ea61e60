package io.kivaloo.lbss3.store;

/**
 * One data object: the blocks of one APPEND.
 *
 * @param key        its full key, {@code blocks/<first>-<gen>}
 * @param firstBlock its first block
 * @param count      blocks in it (object size / block size), > 0
 * @param generation the generation that wrote it
 */
record StoredObject(String key, long firstBlock, long count, long generation) {

    /** The block after its last one. */
    long endBlock() {
        return firstBlock + count;
    }

    boolean holds(long block) {
        return Long.compareUnsigned(block, firstBlock) >= 0 && Long.compareUnsigned(block, endBlock()) < 0;
    }

    @Override
    public String toString() {
        return key + "[" + Long.toUnsignedString(firstBlock) + ".." + Long.toUnsignedString(endBlock()) + ")";
    }
}
