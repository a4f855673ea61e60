package io.kivaloo.proto.kvlds;

import io.kivaloo.proto.wire.ProtocolException;
import io.kivaloo.proto.wire.RecordReader;
import io.kivaloo.proto.wire.RecordWriter;

import java.util.ArrayList;
import java.util.List;

/**
 * Encodes and decodes every KVLDS record, for servers and clients alike
 * (kvlds.md §2). Decoding is strict: a request record must be 4..772 bytes
 * long (checked before the type is read), and every record must be consumed
 * exactly.
 */
public final class KvldsCodec {

    /** Longest request record: a type and three maximal strings (4 + 3 × 256). */
    public static final int MAX_REQUEST_LENGTH = 4 + 3 * (1 + Key.MAX_LENGTH);

    /**
     * Most pair bytes (2 + |key| + |value| for each pair) in one RANGE answer,
     * whatever its {@code max} asks: 4 MiB, 1,024 leaves of 4 KiB. Our kvlds
     * stops a scan there (the C kvlds answers one leaf, far less), so that one
     * RANGE's answer, and the memory it takes to build it, stays bounded; the
     * client's limit on a response below follows from it.
     */
    public static final int MAX_RANGE_PAIR_BYTES = 4 * 1024 * 1024;

    /** Longest RANGE answer record without its pairs: status, count, and a maximal next (4 + 4 + 256). */
    public static final int RANGE_RESPONSE_HEAD = 4 + 4 + 1 + Key.MAX_LENGTH;

    /**
     * Longest response record any KVLDS server of ours sends: a RANGE answer
     * with {@link #MAX_RANGE_PAIR_BYTES} of pairs (every other answer is at
     * most 4 + 256 bytes). A scan stops before a pair that would cross the
     * bound once it has one, and one pair (at most 512 bytes) is below it.
     */
    public static final int MAX_RESPONSE_LENGTH = RANGE_RESPONSE_HEAD + MAX_RANGE_PAIR_BYTES;

    private KvldsCodec() {
    }

    public static byte[] encodeRequest(KvldsRequest request) {
        switch (request.type()) {
            case KvldsRequest.PARAMS:
                return new RecordWriter(4).u32(KvldsRequest.PARAMS).finish();
            case KvldsRequest.SET: {
                KvldsRequest.Set r = (KvldsRequest.Set) request;
                return keyValue(KvldsRequest.SET, r.key(), r.value());
            }
            case KvldsRequest.ADD: {
                KvldsRequest.Add r = (KvldsRequest.Add) request;
                return keyValue(KvldsRequest.ADD, r.key(), r.value());
            }
            case KvldsRequest.MODIFY: {
                KvldsRequest.Modify r = (KvldsRequest.Modify) request;
                return keyValue(KvldsRequest.MODIFY, r.key(), r.value());
            }
            case KvldsRequest.CAS: {
                KvldsRequest.Cas r = (KvldsRequest.Cas) request;
                return new RecordWriter(4 + stringSize(r.key()) + stringSize(r.oldValue()) + stringSize(r.value()))
                        .u32(KvldsRequest.CAS).u8Prefixed(r.key().unsafeBytes()).u8Prefixed(r.oldValue().unsafeBytes())
                        .u8Prefixed(r.value().unsafeBytes()).finish();
            }
            case KvldsRequest.DELETE:
                return keyOnly(KvldsRequest.DELETE, ((KvldsRequest.Delete) request).key());
            case KvldsRequest.GET:
                return keyOnly(KvldsRequest.GET, ((KvldsRequest.Get) request).key());
            case KvldsRequest.CAD: {
                KvldsRequest.Cad r = (KvldsRequest.Cad) request;
                return keyValue(KvldsRequest.CAD, r.key(), r.oldValue());
            }
            case KvldsRequest.RANGE: {
                KvldsRequest.Range r = (KvldsRequest.Range) request;
                return new RecordWriter(8 + stringSize(r.start()) + stringSize(r.end()))
                        .u32(KvldsRequest.RANGE).u32((int) r.maxBytes()).u8Prefixed(r.start().unsafeBytes())
                        .u8Prefixed(r.end().unsafeBytes()).finish();
            }
            default:
                throw new IllegalArgumentException("unknown KVLDS request " + request);
        }
    }

    private static byte[] keyValue(int type, Key key, Key value) {
        return new RecordWriter(4 + stringSize(key) + stringSize(value)).u32(type).u8Prefixed(key.unsafeBytes())
                .u8Prefixed(value.unsafeBytes()).finish();
    }

    private static byte[] keyOnly(int type, Key key) {
        return new RecordWriter(4 + stringSize(key)).u32(type).u8Prefixed(key.unsafeBytes()).finish();
    }

    /**
     * Parses a request record; anything malformed is a {@link ProtocolException}.
     * {@link KvldsRequestValidator} checks the same rules in place, without
     * building the request: a change here is a change there.
     */
    public static KvldsRequest decodeRequest(byte[] record) throws ProtocolException {
        if (record.length > MAX_REQUEST_LENGTH) {
            throw new ProtocolException("KVLDS request length: " + record.length + " (expected: <= " + MAX_REQUEST_LENGTH + ")");
        }
        RecordReader in = new RecordReader(record, "KVLDS request");
        int type = in.u32("type");
        KvldsRequest request;
        switch (type) {
            case KvldsRequest.PARAMS:
                request = new KvldsRequest.Params();
                break;
            case KvldsRequest.SET:
                request = new KvldsRequest.Set(string(in, "key"), string(in, "value"));
                break;
            case KvldsRequest.CAS:
                request = new KvldsRequest.Cas(string(in, "key"), string(in, "oval"), string(in, "value"));
                break;
            case KvldsRequest.ADD:
                request = new KvldsRequest.Add(string(in, "key"), string(in, "value"));
                break;
            case KvldsRequest.MODIFY:
                request = new KvldsRequest.Modify(string(in, "key"), string(in, "value"));
                break;
            case KvldsRequest.DELETE:
                request = new KvldsRequest.Delete(string(in, "key"));
                break;
            case KvldsRequest.CAD:
                request = new KvldsRequest.Cad(string(in, "key"), string(in, "oval"));
                break;
            case KvldsRequest.GET:
                request = new KvldsRequest.Get(string(in, "key"));
                break;
            case KvldsRequest.RANGE:
                request = new KvldsRequest.Range(in.u32("max") & 0xffffffffL, string(in, "start"), string(in, "end"));
                break;
            default:
                throw new ProtocolException(String.format("Unrecognized request type received: 0x%08x", type));
        }
        in.expectEnd();
        return request;
    }

    public static byte[] encodeResponse(KvldsResponse response) {
        if (response instanceof KvldsResponse.Status) {
            return new RecordWriter(4).u32(((KvldsResponse.Status) response).status()).finish();
        }
        if (response instanceof KvldsResponse.Get) {
            KvldsResponse.Get g = (KvldsResponse.Get) response;
            if (!g.present()) {
                return new RecordWriter(4).u32(KvldsResponse.STATUS_FAIL).finish();
            }
            return new RecordWriter(4 + stringSize(g.value())).u32(KvldsResponse.STATUS_OK).u8Prefixed(g.value().unsafeBytes()).finish();
        }
        if (response instanceof KvldsResponse.Range) {
            KvldsResponse.Range r = (KvldsResponse.Range) response;
            int size = 8 + stringSize(r.next());
            for (KvldsResponse.Pair pair : r.pairs()) {
                size += pair.serializedSize();
            }
            RecordWriter out = new RecordWriter(size).u32(KvldsResponse.STATUS_OK).u32(r.pairs().size())
                    .u8Prefixed(r.next().unsafeBytes());
            for (KvldsResponse.Pair pair : r.pairs()) {
                out.u8Prefixed(pair.key().unsafeBytes()).u8Prefixed(pair.value().unsafeBytes());
            }
            return out.finish();
        }
        KvldsResponse.Params p = (KvldsResponse.Params) response;
        return new RecordWriter(8).u32(p.maxKeyLength()).u32(p.maxValueLength()).finish();
    }

    /** Parses the response to {@code request}, as strictly as the C client parsers and then some. */
    public static KvldsResponse decodeResponse(KvldsRequest request, byte[] record) throws ProtocolException {
        RecordReader in = new RecordReader(record, "KVLDS response to " + request.getClass().getSimpleName());
        KvldsResponse response;
        switch (request.type()) {
            case KvldsRequest.PARAMS:
                response = new KvldsResponse.Params(in.u32("kmax"), in.u32("vmax"));
                break;
            case KvldsRequest.SET:
            case KvldsRequest.DELETE: {
                int status = in.u32("status");
                if (status != KvldsResponse.STATUS_OK) {
                    throw new ProtocolException("KVLDS response: status " + Integer.toUnsignedString(status) + " (expected: 0)");
                }
                response = KvldsResponse.Status.OK;
                break;
            }
            case KvldsRequest.CAS:
            case KvldsRequest.ADD:
            case KvldsRequest.MODIFY:
            case KvldsRequest.CAD:
                response = KvldsResponse.Status.of(status01(in) == KvldsResponse.STATUS_OK);
                break;
            case KvldsRequest.GET:
                response = status01(in) == KvldsResponse.STATUS_OK ? new KvldsResponse.Get(string(in, "value")) : KvldsResponse.Get.ABSENT;
                break;
            case KvldsRequest.RANGE:
                response = decodeRange((KvldsRequest.Range) request, in);
                break;
            default:
                throw new IllegalArgumentException("unknown KVLDS request " + request);
        }
        in.expectEnd();
        return response;
    }

    private static KvldsResponse.Range decodeRange(KvldsRequest.Range request, RecordReader in) throws ProtocolException {
        int status = in.u32("status");
        if (status != KvldsResponse.STATUS_OK) {
            throw new ProtocolException("KVLDS RANGE response: status " + Integer.toUnsignedString(status) + " (expected: 0)");
        }
        long count = in.u32("count") & 0xffffffffL;
        // The C client's sanity bound: a pair costs at least 2 bytes of budget.
        if (count > 1 && count > request.maxBytes() / 2) {
            throw new ProtocolException("KVLDS RANGE response: " + count + " pairs exceed budget " + request.maxBytes());
        }
        Key next = string(in, "next");
        if (count > in.remaining() / 2) {
            throw new ProtocolException("KVLDS RANGE response: " + count + " pairs cannot fit " + in.remaining() + " bytes");
        }
        List<KvldsResponse.Pair> pairs = new ArrayList<>((int) count);
        for (long i = 0; i < count; i++) {
            pairs.add(new KvldsResponse.Pair(string(in, "key"), string(in, "value")));
        }
        return new KvldsResponse.Range(next, pairs);
    }

    /** A kvlds string: one length byte and that many bytes (kvlds.md §2). */
    private static Key string(RecordReader in, String field) throws ProtocolException {
        return Key.wrap(in.u8Prefixed(field));
    }

    private static int stringSize(Key key) {
        return 1 + key.length();
    }

    private static int status01(RecordReader in) throws ProtocolException {
        int status = in.u32("status");
        if (status != KvldsResponse.STATUS_OK && status != KvldsResponse.STATUS_FAIL) {
            throw new ProtocolException("KVLDS response: status " + Integer.toUnsignedString(status) + " (expected: 0 or 1)");
        }
        return status;
    }
}
