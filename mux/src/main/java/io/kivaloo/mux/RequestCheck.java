package io.kivaloo.mux;

import io.kivaloo.proto.kvlds.Key;
import io.kivaloo.proto.kvlds.KvldsCodec;
import io.kivaloo.proto.kvlds.KvldsRequest;
import io.kivaloo.proto.kvlds.KvldsResponse;
import io.kivaloo.proto.wire.ProtocolException;
import io.kivaloo.proto.wire.WireFormat;

/**
 * Decides whether a client's request may go upstream (DESIGN.md "Request
 * validation"). The upstream connection is shared: a request the target
 * rejects makes kvlds drop that connection (kvlds.md §2, §7) and with it
 * every client's requests in flight. So in KVLDS mode (the default) each
 * request must parse with {@link KvldsCodec#decodeRequest} and must respect
 * the target's key and value limits for SET, CAS (new value), ADD and
 * MODIFY, learnt from a PARAMS request at connect time; the offending client
 * is closed instead. In forward-any mode (other protocols) every well-framed
 * record is forwarded, as the C mux does.
 */
final class RequestCheck {

    private final boolean kvlds;
    private final int maxRecordLength;
    /** The target's limits, from its PARAMS answer; until then nothing is forwarded. */
    private int maxKeyLength = Key.MAX_LENGTH;
    private int maxValueLength = Key.MAX_LENGTH;

    private RequestCheck(boolean kvlds, int maxRecordLength) {
        this.kvlds = kvlds;
        this.maxRecordLength = maxRecordLength;
    }

    /** Validates every request for the KVLDS protocol. */
    static RequestCheck kvlds() {
        return new RequestCheck(true, KvldsCodec.MAX_REQUEST_LENGTH);
    }

    /** Forwards any record of at most {@code maxRecordLength} bytes. */
    static RequestCheck forwardAny(int maxRecordLength) {
        return new RequestCheck(false, maxRecordLength);
    }

    /** True if the target speaks KVLDS and is asked for its limits at connect time. */
    boolean isKvlds() {
        return kvlds;
    }

    /**
     * Longest request record a client may announce: a longer header closes
     * the client before any of the record is buffered.
     */
    int maxRecordLength() {
        return maxRecordLength;
    }

    /** Takes the limits from the target's PARAMS answer. */
    void learn(KvldsResponse.Params params) {
        // kvlds compares unsigned lengths; a limit of 2^31 or more means "no limit" below 256 anyway.
        maxKeyLength = params.maxKeyLength() < 0 ? Integer.MAX_VALUE : params.maxKeyLength();
        maxValueLength = params.maxValueLength() < 0 ? Integer.MAX_VALUE : params.maxValueLength();
    }

    int maxKeyLength() {
        return maxKeyLength;
    }

    int maxValueLength() {
        return maxValueLength;
    }

    /** Framed bytes of the longest answer other than RANGE: a GET's status and a 255-byte value. */
    static final long SMALL_ANSWER_CHARGE = WireFormat.OVERHEAD + 4 + 1 + Key.MAX_LENGTH;

    /** Largest wire size of one pair, which a RANGE returns whatever its max. */
    private static final long MAX_PAIR_BYTES = 2 + 2 * Key.MAX_LENGTH;

    /**
     * Throws if {@code record} must not be forwarded; the message says why,
     * for the WARN line. Otherwise returns the framed size of the longest
     * answer it can get, which the client is charged ({@link AnswerBudget}):
     * for a RANGE its max, within what one RANGE answer can hold
     * ({@link KvldsCodec#MAX_RESPONSE_LENGTH}). In forward-any mode nothing
     * is known of the answer: only its header is charged now, the rest when
     * it arrives.
     */
    long check(byte[] record) throws ProtocolException {
        if (!kvlds) {
            return WireFormat.OVERHEAD;
        }
        KvldsRequest request = KvldsCodec.decodeRequest(record);
        switch (request.type()) {
            case KvldsRequest.SET:
                checkSizes("SET", ((KvldsRequest.Set) request).key(), ((KvldsRequest.Set) request).value());
                break;
            case KvldsRequest.CAS:
                checkSizes("CAS", ((KvldsRequest.Cas) request).key(), ((KvldsRequest.Cas) request).value());
                break;
            case KvldsRequest.ADD:
                checkSizes("ADD", ((KvldsRequest.Add) request).key(), ((KvldsRequest.Add) request).value());
                break;
            case KvldsRequest.MODIFY:
                checkSizes("MODIFY", ((KvldsRequest.Modify) request).key(), ((KvldsRequest.Modify) request).value());
                break;
            case KvldsRequest.RANGE:
                long pairs = Math.min(((KvldsRequest.Range) request).maxBytes(), KvldsCodec.MAX_RANGE_PAIR_BYTES) + MAX_PAIR_BYTES;
                return WireFormat.OVERHEAD + Math.min(KvldsCodec.RANGE_RESPONSE_HEAD + pairs, KvldsCodec.MAX_RESPONSE_LENGTH);
            default:
                // DELETE, CAD and GET take any key up to 255 bytes (kvlds.md §2).
                break;
        }
        return SMALL_ANSWER_CHARGE;
    }

    private void checkSizes(String type, Key key, Key value) throws ProtocolException {
        if (key.length() > maxKeyLength) {
            throw new ProtocolException("KVLDS " + type + " key length: " + key.length() + " (expected: <= " + maxKeyLength + ")");
        }
        if (value.length() > maxValueLength) {
            throw new ProtocolException("KVLDS " + type + " value length: " + value.length() + " (expected: <= " + maxValueLength + ")");
        }
    }
}
