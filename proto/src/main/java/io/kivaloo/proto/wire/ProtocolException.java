package io.kivaloo.proto.wire;

/**
 * A peer broke the protocol: a bad CRC, an over-long packet, or a record that
 * does not parse. The connection it arrived on is unusable; the handler that
 * catches it logs one WARN line and closes that connection.
 */
public class ProtocolException extends Exception {

    private static final long serialVersionUID = 1L;

    public ProtocolException(String message) {
        super(message);
    }
}
