package io.kivaloo.lbss3.store;

import java.io.IOException;

/** The objects under the prefix do not form a store lbs-s3 can trust; the message says what and where. */
public final class CorruptStoreException extends IOException {

    private static final long serialVersionUID = 1L;

    public CorruptStoreException(String message) {
        super(message);
    }
}
