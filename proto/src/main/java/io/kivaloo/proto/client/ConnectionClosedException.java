package io.kivaloo.proto.client;

import java.io.IOException;

/**
 * The connection a request was sent on has closed (or failed) before the
 * response arrived: the request's outcome is unknown.
 */
public class ConnectionClosedException extends IOException {

    private static final long serialVersionUID = 1L;

    public ConnectionClosedException(String message) {
        super(message);
    }

    public ConnectionClosedException(String message, Throwable cause) {
        super(message, cause);
    }
}
