package io.kivaloo.proto.client;

/**
 * A request over the server's size limits (PARAMS), refused by the client
 * before it was sent. Sending it would make kvlds drop the connection, and
 * every request in flight on it would fail with it.
 */
public final class OversizeRequestException extends IllegalArgumentException {

    public OversizeRequestException(String message) {
        super(message);
    }
}
