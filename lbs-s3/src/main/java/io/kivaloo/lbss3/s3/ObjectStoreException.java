package io.kivaloo.lbss3.s3;

import java.io.IOException;

/** A request to the object store failed after its retries; the message names request, key and cause. */
public class ObjectStoreException extends IOException {

    private static final long serialVersionUID = 1L;

    public ObjectStoreException(String message, Throwable cause) {
        super(message, cause);
    }

    public ObjectStoreException(String message) {
        super(message);
    }
}
