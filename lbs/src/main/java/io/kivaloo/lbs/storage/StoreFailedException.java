package io.kivaloo.lbs.storage;

import java.io.IOException;

/**
 * An earlier write, fsync or deletion failed, so nobody knows what is on
 * disk beyond the acknowledged blocks: the store accepts no more changes
 * (fail-stop). Carries the first failure as its cause.
 */
public final class StoreFailedException extends IOException {

    private static final long serialVersionUID = 1L;

    public StoreFailedException(String operation, Throwable firstFailure) {
        super("block store stopped after an I/O error during " + operation + ": " + firstFailure.getMessage(), firstFailure);
    }
}
