package io.kivaloo.mux;

import io.kivaloo.proto.kvlds.Key;
import io.kivaloo.proto.kvlds.KvldsCodec;
import io.kivaloo.proto.kvlds.KvldsRequest;
import io.kivaloo.proto.kvlds.KvldsRequestValidator;
import io.kivaloo.proto.kvlds.KvldsResponse;
import io.kivaloo.proto.kvlds.SizeLimits;
import io.kivaloo.proto.wire.ProtocolException;
import io.kivaloo.proto.wire.WireFormat;

/**
 * Decides whether a client's request may go upstream (DESIGN.md "Request
 * validation"). The upstream connection is shared: a request the target
 * rejects makes kvlds drop that connection (kvlds.md §2, §7) and with it
 * every client's requests in flight. So in KVLDS mode (the default) each
 * request must pass proto's {@link KvldsRequestValidator}, in place in the
 * frame as received: what {@link KvldsCodec#decodeRequest} accepts, with the
 * target's key and value limits for SET, CAS (new value), ADD and MODIFY,
 * learnt from a PARAMS request at connect time; the offending client is
 * closed instead. In forward-any mode (other protocols) every well-framed
 * record is forwarded, as the C mux does.
 */
final class RequestCheck {

    private final boolean kvlds;
    private final int maxRecordLength;
    /** The target's limits, from its PARAMS answer; until then nothing is forwarded. */
    private SizeLimits limits = SizeLimits.WIRE;

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
        limits = SizeLimits.of(params);
    }

    /** The target's limits as learnt: unsigned, as kvlds compares them. */
    SizeLimits limits() {
        return limits;
    }

    /** Framed bytes of the longest answer other than RANGE: a GET's status and a 255-byte value. */
    static final long SMALL_ANSWER_CHARGE = WireFormat.OVERHEAD + 4 + 1 + Key.MAX_LENGTH;

    /** Largest wire size of one pair, which a RANGE returns whatever its max. */
    private static final long MAX_PAIR_BYTES = 2 + 2 * Key.MAX_LENGTH;

    /**
     * Throws if the request in {@code frame} (a whole packet as received,
     * {@link io.kivaloo.proto.wire.FrameDecoder#wholeFrames}) must not be
     * forwarded; the message says why, for the WARN line. Otherwise returns
     * the framed size of the longest answer it can get, which the client is
     * charged ({@link AnswerBudget}): for a RANGE its max, within what one
     * RANGE answer can hold ({@link KvldsCodec#MAX_RESPONSE_LENGTH}). In
     * forward-any mode nothing is known of the answer: only its header is
     * charged now, the rest when it arrives. Allocates nothing unless it
     * throws.
     */
    long check(byte[] frame) throws ProtocolException {
        if (!kvlds) {
            return WireFormat.OVERHEAD;
        }
        int type = KvldsRequestValidator.validate(frame, WireFormat.HEADER_LENGTH, frame.length - WireFormat.OVERHEAD, limits);
        if (type == KvldsRequest.RANGE) {
            long max = KvldsRequestValidator.rangeMaxBytes(frame, WireFormat.HEADER_LENGTH);
            long pairs = Math.min(max, KvldsCodec.MAX_RANGE_PAIR_BYTES) + MAX_PAIR_BYTES;
            return WireFormat.OVERHEAD + Math.min(KvldsCodec.RANGE_RESPONSE_HEAD + pairs, KvldsCodec.MAX_RESPONSE_LENGTH);
        }
        // Every other answer is a status, with at most one value of up to 255 bytes (kvlds.md §2).
        return SMALL_ANSWER_CHARGE;
    }
}
