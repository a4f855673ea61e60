package io.kivaloo.lbss3.store;

import java.io.IOException;

/**
 * Start-up refused on purpose, the store untouched: another live instance
 * uses the prefix, or the store was initialised with another block size.
 */
public final class StoreRefusedException extends IOException {

    private static final long serialVersionUID = 1L;

    public StoreRefusedException(String message) {
        super(message);
    }
}
