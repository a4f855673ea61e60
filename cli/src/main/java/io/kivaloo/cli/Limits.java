package io.kivaloo.cli;

import io.kivaloo.proto.kvlds.Key;
import io.kivaloo.proto.kvlds.KvldsResponse;

/**
 * The longest key and value that may be sent, checked before anything is:
 * the wire format's 255 bytes for every key and value (a one-byte length),
 * and the server's PARAMS for what SET, ADD, MODIFY and CAS store (their key
 * and new value). A server drops the connection for a stored pair over its
 * limits (kvlds.md §2), so the CLI refuses it instead, with a message saying
 * the limit. GET, DELETE, CAD and RANGE keys only have the wire's limit, as
 * on the server: a key longer than max-key-length is just absent.
 *
 * @param maxKeyLength   longest key, bytes
 * @param maxValueLength longest value, bytes
 * @param source         where the limits come from, for messages
 */
record Limits(int maxKeyLength, int maxValueLength, String source) {

    /** What the wire can carry at all. */
    static final Limits WIRE = new Limits(Key.MAX_LENGTH, Key.MAX_LENGTH, "the wire format's limit");

    /** The limits a server reports. */
    static Limits of(KvldsResponse.Params params) {
        // No server stores more than the wire carries, whatever it reports.
        return new Limits(Math.min(params.maxKeyLength(), Key.MAX_LENGTH),
                Math.min(params.maxValueLength(), Key.MAX_LENGTH), "the server's PARAMS");
    }

    /** {@code bytes} as a key named {@code label} in messages; fails over the key limit. */
    Key key(String label, byte[] bytes) throws BadInputException {
        check(label, bytes.length, maxKeyLength, "max-key-length");
        return Key.wrap(bytes);
    }

    /** {@code bytes} as a value named {@code label} in messages; fails over the value limit. */
    Key value(String label, byte[] bytes) throws BadInputException {
        check(label, bytes.length, maxValueLength, "max-value-length");
        return Key.wrap(bytes);
    }

    /** Fails if a pair to be stored is over these limits. */
    void checkStored(String keyLabel, Key key, String valueLabel, Key value) throws BadInputException {
        check(keyLabel, key.length(), maxKeyLength, "max-key-length");
        check(valueLabel, value.length(), maxValueLength, "max-value-length");
    }

    private void check(String label, int length, int limit, String limitName) throws BadInputException {
        if (length > limit) {
            throw new BadInputException(label + " is " + length + " bytes (expected: <= " + limit + ", "
                    + limitName + " from " + source + "); nothing was sent for it");
        }
    }
}
