package io.kivaloo.lbss3.store;

/**
 * The start record of a generation, {@code gen/<gen>/start}, written once its
 * recovery is done and before it writes any block: the authority for what
 * the older generations' objects are worth (DESIGN.md "Recovery").
 *
 * @param generation the generation that started
 * @param startBlock its first APPEND's block: the end of the chain it recovered (its nextBlock at start)
 * @param previous   the generation whose start record its recovery followed, or {@link #NONE}
 */
record GenerationStart(long generation, long startBlock, long previous) {

    static final String KIND = "start";
    static final String CLAIM_KIND = "claim";
    /** {@code previous} of the first generation ever started. */
    static final long NONE = 0;

    byte[] encode(String storeId) {
        return StoreRecord.of(KIND, "generation", Long.toUnsignedString(generation), "store-id", storeId,
                "start-block", Long.toUnsignedString(startBlock), "previous", Long.toUnsignedString(previous)).encode();
    }

    static GenerationStart decode(String key, byte[] bytes, String storeId, long generation) throws CorruptStoreException {
        StoreRecord record = StoreRecord.decode(key, KIND, bytes);
        checkOwner(key, record, storeId, generation);
        long previous = record.number(key, "previous");
        if (previous != NONE && Long.compareUnsigned(previous, generation) >= 0) {
            throw new CorruptStoreException("object " + key + " names previous generation " + Long.toUnsignedString(previous)
                    + " (expected: < " + Long.toUnsignedString(generation) + ")");
        }
        return new GenerationStart(generation, record.number(key, "start-block"), previous);
    }

    /**
     * The claim names the claiming process ({@code instance}, random per
     * start), so that two processes racing for one number never write equal
     * bytes: the object store's conflict answer then tells them apart.
     */
    static byte[] encodeClaim(long generation, String storeId, String instance) {
        return StoreRecord.of(CLAIM_KIND, "generation", Long.toUnsignedString(generation), "store-id", storeId,
                "instance", instance).encode();
    }

    /** A record copied from another store, or under another generation's key, is not trusted. */
    private static void checkOwner(String key, StoreRecord record, String storeId, long generation)
            throws CorruptStoreException {
        String owner = record.text(key, "store-id");
        if (!owner.equals(storeId)) {
            throw new CorruptStoreException("object " + key + " belongs to store " + owner + " (expected: " + storeId + ")");
        }
        long recorded = record.number(key, "generation");
        if (recorded != generation) {
            throw new CorruptStoreException("object " + key + " records generation " + Long.toUnsignedString(recorded));
        }
    }
}
