package io.kivaloo.proto.daemon;

/**
 * A daemon cannot start: the message is the one clear line printed before it
 * exits with status 1 (a socket in use, a missing directory, an lbs that
 * cannot be reached, ...).
 */
public class StartupException extends Exception {

    private static final long serialVersionUID = 1L;

    public StartupException(String message) {
        super(message);
    }

    public StartupException(String message, Throwable cause) {
        super(message, cause);
    }
}
