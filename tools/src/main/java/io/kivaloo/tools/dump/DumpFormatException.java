package io.kivaloo.tools.dump;

import java.io.IOException;

/** A dump that cannot be read: truncated inside a pair, or a directory entry that is not a pair. */
public final class DumpFormatException extends IOException {

    public DumpFormatException(String message) {
        super(message);
    }
}
