package io.kivaloo.lbss3.store;

import java.io.IOException;

/** The store has stopped after an earlier failure (fail-stop); carries that first cause. */
public final class StoreFailedException extends IOException {

    private static final long serialVersionUID = 1L;

    StoreFailedException(String message, Throwable firstCause) {
        super(message, firstCause);
    }
}
