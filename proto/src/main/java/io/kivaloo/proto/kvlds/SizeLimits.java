package io.kivaloo.proto.kvlds;

/**
 * The size rule kvlds applies when it queues a request (kvlds.md §2): SET,
 * CAS, ADD and MODIFY must have a key of at most {@code maxKeyLength} bytes
 * and a value (for CAS the new one) of at most {@code maxValueLength}, or
 * kvlds drops the connection. DELETE, CAD, GET and RANGE take any key up to
 * 255 bytes. The limits are what PARAMS answers; as unsigned 32-bit numbers,
 * a value of 2^31 or more is no limit at all below 256.
 */
public record SizeLimits(int maxKeyLength, int maxValueLength) {

    /** What the wire format allows: no request is over these. */
    public static final SizeLimits WIRE = new SizeLimits(Key.MAX_LENGTH, Key.MAX_LENGTH);

    public static SizeLimits of(KvldsResponse.Params params) {
        return new SizeLimits(params.maxKeyLength(), params.maxValueLength());
    }

    /** True for the requests the limits apply to: SET, CAS, ADD, MODIFY. */
    public static boolean applyTo(KvldsRequest request) {
        return request instanceof KvldsRequest.Set || request instanceof KvldsRequest.Cas
                || request instanceof KvldsRequest.Add || request instanceof KvldsRequest.Modify;
    }

    /** Null if kvlds accepts {@code request}, else why not, e.g. {@code SET key 27 bytes (expected: <= 16)}. */
    public String violation(KvldsRequest request) {
        Key key;
        Key value;
        if (request instanceof KvldsRequest.Set) {
            key = ((KvldsRequest.Set) request).key();
            value = ((KvldsRequest.Set) request).value();
        } else if (request instanceof KvldsRequest.Cas) {
            key = ((KvldsRequest.Cas) request).key();
            value = ((KvldsRequest.Cas) request).value();
        } else if (request instanceof KvldsRequest.Add) {
            key = ((KvldsRequest.Add) request).key();
            value = ((KvldsRequest.Add) request).value();
        } else if (request instanceof KvldsRequest.Modify) {
            key = ((KvldsRequest.Modify) request).key();
            value = ((KvldsRequest.Modify) request).value();
        } else {
            return null;
        }
        return violation(request.getClass().getSimpleName().toUpperCase(java.util.Locale.ROOT), key.length(), value.length());
    }

    /** Null if a key and value of these lengths are within the limits, else why not. */
    public String violation(String what, int keyLength, int valueLength) {
        if (over(keyLength, maxKeyLength)) {
            return what + " key " + keyLength + " bytes (expected: <= " + maxKeyLength + ")";
        }
        if (over(valueLength, maxValueLength)) {
            return what + " value " + valueLength + " bytes (expected: <= " + maxValueLength + ")";
        }
        return null;
    }

    private static boolean over(int length, int limit) {
        return limit >= 0 && length > limit;
    }
}
