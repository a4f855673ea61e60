package io.kivaloo.cli;

/**
 * kivaloo-cli's exit statuses, for scripts: what happened is the status, not
 * a message to parse. The {@code --help} text lists the same four.
 */
final class ExitStatus {

    /** The command was done (and printed what it reads). */
    static final int DONE = 0;
    /** The command's condition was false: GET/MODIFY/CAD of an absent key, ADD of a present one, a CAS/CAD mismatch. */
    static final int CONDITION_FALSE = 1;
    /** A usage error: bad option or argument, text the encoding rejects, a key or value over the server's limits. */
    static final int USAGE = 2;
    /** No connection, a timeout, or the connection failed or closed (a protocol error): the outcome of what was sent is unknown. */
    static final int FAILURE = 3;

    private ExitStatus() {
    }
}
