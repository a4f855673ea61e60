package io.kivaloo.proto.lbs.store;

import java.io.IOException;

/**
 * The block store has stopped after an earlier failure (fail-stop): a write,
 * fsync, PUT or deletion failed, or another process took the store over, so
 * nobody knows what is stored beyond the acknowledged blocks and the store
 * accepts no more changes. Carries the first failure as its cause. lbs and
 * lbs-s3 throw this one type.
 */
public final class StoreFailedException extends IOException {

    private static final long serialVersionUID = 1L;

    /** @param message says that the store stopped and why, e.g. "block store stopped after ... during APPEND" */
    public StoreFailedException(String message, Throwable firstFailure) {
        super(message, firstFailure);
    }
}
