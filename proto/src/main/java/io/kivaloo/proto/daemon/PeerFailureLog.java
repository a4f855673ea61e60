package io.kivaloo.proto.daemon;

import io.kivaloo.proto.wire.ProtocolException;
import io.netty.channel.Channel;
import org.slf4j.Logger;

import java.io.IOException;

/**
 * How a server's connection handler reports why it closes a client's
 * connection: one policy and one key ({@code peer=}) for lbs, kvlds and mux,
 * so that an operator greps one line whichever daemon logged it.
 *
 * <ul>
 * <li>The peer broke the protocol (a {@link ProtocolException}, or a request
 *     the handler refuses): one WARN line without a stack trace. It is the
 *     peer's fault, and the stack of our decoder says nothing about it.</li>
 * <li>An I/O error (connection reset, broken pipe): DEBUG. Peers go away;
 *     that is not news, and a busy server would log it by the thousand.</li>
 * <li>Anything else is a bug of ours: ERROR with the stack trace.</li>
 * </ul>
 */
public final class PeerFailureLog {

    /** What a Unix-socket client is called: it usually has no address of its own. */
    static final String UNNAMED_PEER = "unix-socket-client";

    private final Logger log;
    private final String peer;

    /**
     * @param log  the handler's logger, so that the line names the daemon's class
     * @param peer the peer's name in every line, usually {@link #peerName(Channel)}
     */
    public PeerFailureLog(Logger log, String peer) {
        this.log = log;
        this.peer = peer;
    }

    /** The remote address of {@code channel}, or {@value #UNNAMED_PEER} when it has none. */
    public static String peerName(Channel channel) {
        Object remote = channel.remoteAddress();
        return remote == null || remote.toString().isEmpty() ? UNNAMED_PEER : remote.toString();
    }

    public String peer() {
        return peer;
    }

    /** The peer sent something the protocol forbids; the caller closes the connection. */
    public void protocolViolation(String reason) {
        log.warn("closing connection: protocol violation peer={} reason={}", peer, reason);
    }

    /** A failure that reached the handler's {@code exceptionCaught}; the caller closes the connection. */
    public void failed(Throwable cause) {
        if (cause instanceof ProtocolException) {
            protocolViolation(cause.getMessage());
        } else if (cause instanceof IOException) {
            log.debug("closing connection: I/O error peer={} reason={}", peer, cause.toString());
        } else {
            log.error("closing connection: unexpected failure peer={}", peer, cause);
        }
    }
}
