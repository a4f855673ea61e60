package io.kivaloo.proto.lbs.store;

import java.io.IOException;

/**
 * A block is stored but not intact (bad checksum, wrong place, short). Never
 * answered as "absent": the client would take it for a lost page and go on
 * with a wrong tree; the server closes the connection instead. The message
 * names where the damage is.
 */
public final class DamagedBlockException extends IOException {

    private static final long serialVersionUID = 1L;

    public DamagedBlockException(String message, Throwable cause) {
        super(message, cause);
    }

    public DamagedBlockException(String message) {
        super(message);
    }
}
