package io.kivaloo.cli;

import io.kivaloo.proto.net.KivalooAddress;

import java.io.PrintWriter;
import java.time.Duration;

/**
 * The prompt's one connection, kept open from command to command: the first
 * command connects, the next ones reuse the connection, and a command after
 * the connection was lost (the server went away or closed it) connects again,
 * saying so on stderr, or fails with why it cannot. A command whose own
 * {@code -t} names another server gets a connection of its own, closed after it.
 */
final class PromptConnection implements SessionSource, AutoCloseable {

    private final KivalooAddress address;
    private final PrintWriter err;
    /** The kept connection; null before the first command or after a failed reconnect. */
    private Session kept;

    /** @param err where the notice of a reconnect goes */
    PromptConnection(KivalooAddress address, PrintWriter err) {
        this.address = address;
        this.err = err;
    }

    @Override
    public Session session(KivalooAddress target, Duration timeout) throws ServerFailureException {
        if (!target.equals(address)) {
            return Session.open(target, timeout);
        }
        if (kept != null && !kept.isOpen()) {
            kept.close();
            kept = null;
            err.println(KivalooCli.NAME + ": the connection to " + address.text() + " was lost; connecting again");
            err.flush();
        }
        if (kept == null) {
            kept = Session.open(address, timeout);
        }
        return kept.lend(timeout);
    }

    @Override
    public void close() {
        if (kept != null) {
            kept.close();
        }
    }
}
