package io.kivaloo.lbss3.store;

import io.kivaloo.lbss3.s3.ObjectExistsException;
import io.kivaloo.lbss3.s3.ObjectStore;

import java.io.IOException;
import java.security.SecureRandom;
import java.util.HexFormat;

/**
 * What is fixed for a store's life, recorded once in {@code <prefix>params}:
 * a random store ID (it is copied into every generation record, so records
 * of another store under a reused prefix are caught) and the block size.
 *
 * @param storeId   32 lowercase hex digits
 * @param blockSize bytes per block
 */
public record StoreParameters(String storeId, int blockSize) {

    static final String KIND = "params";
    private static final int VERSION = 1;
    private static final int STORE_ID_BYTES = 16;

    /** The recorded parameters, or {@code null} if the store was never initialised. */
    public static StoreParameters load(ObjectStore objects, StoreLayout layout) throws IOException {
        String key = layout.paramsKey();
        byte[] bytes = objects.get(key);
        if (bytes == null) {
            return null;
        }
        StoreRecord record = StoreRecord.decode(key, KIND, bytes);
        long version = record.number(key, "version");
        if (version != VERSION) {
            throw new CorruptStoreException("object " + key + " has layout version " + version + " (expected: " + VERSION + ")");
        }
        long blockSize = record.number(key, "block-size");
        if (blockSize <= 0 || blockSize > Integer.MAX_VALUE) {
            throw new CorruptStoreException("object " + key + " has block size " + blockSize);
        }
        return new StoreParameters(record.text(key, "store-id"), (int) blockSize);
    }

    /**
     * The recorded parameters, recording new ones (a fresh random store ID) if
     * there are none. Two first starts racing agree: the conditional PUT lets
     * one win, the other reads what won.
     *
     * @throws StoreRefusedException if the store has another block size
     */
    public static StoreParameters initOrLoad(ObjectStore objects, StoreLayout layout, int blockSize) throws IOException {
        StoreParameters recorded = load(objects, layout);
        if (recorded == null) {
            StoreParameters fresh = new StoreParameters(randomStoreId(), blockSize);
            try {
                objects.create(layout.paramsKey(), fresh.record().encode());
                return fresh;
            } catch (ObjectExistsException lostRace) {
                recorded = load(objects, layout);
                if (recorded == null) {
                    throw new CorruptStoreException("object " + layout.paramsKey() + " exists but cannot be read");
                }
            }
        }
        if (recorded.blockSize() != blockSize) {
            throw new StoreRefusedException("store " + objects.describe() + " prefix='" + layout.prefix()
                    + "' was initialised with block size " + recorded.blockSize() + ", not " + blockSize
                    + "; restart with -b " + recorded.blockSize());
        }
        return recorded;
    }

    private StoreRecord record() {
        return StoreRecord.of(KIND, "version", Integer.toString(VERSION), "store-id", storeId,
                "block-size", Integer.toString(blockSize));
    }

    private static String randomStoreId() {
        byte[] id = new byte[STORE_ID_BYTES];
        new SecureRandom().nextBytes(id);
        return HexFormat.of().formatHex(id);
    }
}
