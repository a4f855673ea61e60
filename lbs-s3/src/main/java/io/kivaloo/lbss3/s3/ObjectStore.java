package io.kivaloo.lbss3.s3;

import java.io.IOException;
import java.util.List;

/**
 * The few object-store operations lbs-s3 uses, on one bucket: the seam in
 * front of the S3 client, so that tests can run the store on memory and fail
 * any request they choose (DESIGN.md "Failure handling"). Keys are full keys
 * (prefix included). Every method blocks until the object store has answered
 * (after its retries) and fails with an {@link ObjectStoreException} naming
 * the request and key.
 */
public interface ObjectStore extends AutoCloseable {

    /**
     * Writes a new object, only if no object {@code key} exists
     * ({@code If-None-Match: *}): an object is written once, ever.
     *
     * @throws ObjectExistsException if the key exists already
     */
    void create(String key, byte[] data) throws IOException;

    /** The whole object, or {@code null} if there is none. */
    byte[] get(String key) throws IOException;

    /**
     * {@code length} bytes from {@code offset} (a ranged GET), fewer if the
     * object ends before, or {@code null} if there is no such object.
     */
    byte[] getRange(String key, long offset, int length) throws IOException;

    /** Whether {@code key} exists (a HEAD). */
    boolean exists(String key) throws IOException;

    /** Every object whose key starts with {@code prefix}, in key order (all pages of the listing). */
    List<ObjectInfo> list(String prefix) throws IOException;

    /** Deletes {@code key}; deleting an absent key succeeds, as in S3. */
    void delete(String key) throws IOException;

    /** Where the objects are, for messages: {@code bucket b at endpoint e}. */
    String describe();

    @Override
    void close();
}
