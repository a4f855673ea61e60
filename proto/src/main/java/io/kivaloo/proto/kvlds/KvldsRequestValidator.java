package io.kivaloo.proto.kvlds;

import io.kivaloo.proto.wire.ProtocolException;

/**
 * Checks a KVLDS request record where it lies, without decoding it and
 * without allocating: a relay (mux) that forwards the record's bytes
 * unchanged needs to know only that the target will accept it.
 *
 * <p>It rejects exactly what {@link KvldsCodec#decodeRequest} rejects, plus
 * what kvlds rejects by size ({@link SizeLimits}):
 * <pre>
 * length      4..772 ({@link KvldsCodec#MAX_REQUEST_LENGTH}), checked first
 * type        u32, big-endian, one of {@link KvldsRequest}'s codes
 * fields      by type, each kvlds string one length byte and that many bytes:
 *   PARAMS    -
 *   SET, ADD, MODIFY   key, value      (key and value within the limits)
 *   CAS       key, old value, value    (key and the new value within the limits)
 *   DELETE, GET        key
 *   CAD       key, old value
 *   RANGE     u32 max, start, end
 * end         the fields use the record exactly: no byte missing, none left over
 * </pre>
 * Two readings of one format: {@code KvldsRequestValidatorTest} holds them
 * to the same answer on random, well-formed and mutated records. Messages
 * follow {@link io.kivaloo.proto.wire.RecordReader}'s.
 */
public final class KvldsRequestValidator {

    private static final String WHAT = "KVLDS request";
    private static final int TYPE_LENGTH = 4;
    private static final int RANGE_MAX_LENGTH = 4;

    private KvldsRequestValidator() {
    }

    /**
     * Checks the request record {@code bytes[offset, offset + length)}
     * against the format and {@code limits}; returns its type code, or throws
     * saying why kvlds would drop the connection for it. Reads nothing
     * outside the record.
     */
    public static int validate(byte[] bytes, int offset, int length, SizeLimits limits) throws ProtocolException {
        if (length > KvldsCodec.MAX_REQUEST_LENGTH) {
            throw new ProtocolException(WHAT + " length: " + length + " (expected: <= " + KvldsCodec.MAX_REQUEST_LENGTH + ")");
        }
        int end = offset + length;
        need(offset, TYPE_LENGTH, end, "type", offset);
        int type = u32(bytes, offset);
        int p = offset + TYPE_LENGTH;
        switch (type) {
            case KvldsRequest.PARAMS:
                break;
            case KvldsRequest.SET:
                p = keyValue(bytes, p, end, offset, limits, "SET");
                break;
            case KvldsRequest.ADD:
                p = keyValue(bytes, p, end, offset, limits, "ADD");
                break;
            case KvldsRequest.MODIFY:
                p = keyValue(bytes, p, end, offset, limits, "MODIFY");
                break;
            case KvldsRequest.CAS: {
                int key = p;
                p = skipString(bytes, p, end, "key", offset);
                p = skipString(bytes, p, end, "oval", offset);
                int value = p;
                p = skipString(bytes, p, end, "value", offset);
                checkLimits(limits, "CAS", bytes[key] & 0xff, bytes[value] & 0xff);
                break;
            }
            case KvldsRequest.DELETE:
            case KvldsRequest.GET:
                p = skipString(bytes, p, end, "key", offset);
                break;
            case KvldsRequest.CAD:
                p = skipString(bytes, p, end, "key", offset);
                p = skipString(bytes, p, end, "oval", offset);
                break;
            case KvldsRequest.RANGE:
                need(p, RANGE_MAX_LENGTH, end, "max", offset);
                p += RANGE_MAX_LENGTH;
                p = skipString(bytes, p, end, "start", offset);
                p = skipString(bytes, p, end, "end", offset);
                break;
            default:
                throw new ProtocolException(String.format("Unrecognized request type received: 0x%08x", type));
        }
        if (p != end) {
            throw new ProtocolException(WHAT + ": " + (end - p) + " trailing bytes (record length " + length + ")");
        }
        return type;
    }

    /** The {@code max} of a RANGE record at {@code offset} that {@link #validate} accepted: unsigned bytes of pairs. */
    public static long rangeMaxBytes(byte[] bytes, int offset) {
        return u32(bytes, offset + TYPE_LENGTH) & 0xffffffffL;
    }

    /** Skips a key and a value, then checks their lengths; returns the position after them. */
    private static int keyValue(byte[] bytes, int p, int end, int offset, SizeLimits limits, String type)
            throws ProtocolException {
        int key = p;
        int value = skipString(bytes, p, end, "key", offset);
        int after = skipString(bytes, value, end, "value", offset);
        checkLimits(limits, type, bytes[key] & 0xff, bytes[value] & 0xff);
        return after;
    }

    private static void checkLimits(SizeLimits limits, String type, int keyLength, int valueLength)
            throws ProtocolException {
        String violation = limits.violation(type, keyLength, valueLength);
        if (violation != null) {
            throw new ProtocolException("KVLDS " + violation);
        }
    }

    /** Checks the kvlds string at {@code p} is whole; returns the position after it. */
    private static int skipString(byte[] bytes, int p, int end, String field, int offset) throws ProtocolException {
        need(p, 1, end, field, offset);
        int length = bytes[p] & 0xff;
        need(p, 1 + length, end, field, offset);
        return p + 1 + length;
    }

    private static void need(int p, int n, int end, String field, int offset) throws ProtocolException {
        if (end - p < n) {
            throw new ProtocolException(WHAT + ": truncated at " + field + ": need " + n + " bytes at offset " + (p - offset)
                    + ", record length " + (end - offset));
        }
    }

    private static int u32(byte[] bytes, int p) {
        return (bytes[p] & 0xff) << 24 | (bytes[p + 1] & 0xff) << 16 | (bytes[p + 2] & 0xff) << 8 | (bytes[p + 3] & 0xff);
    }
}
