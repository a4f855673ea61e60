package io.kivaloo.proto.lbs;

import io.kivaloo.proto.wire.ProtocolException;
import io.kivaloo.proto.wire.RecordReader;
import io.kivaloo.proto.wire.RecordWriter;

/**
 * Encodes and decodes every LBS record, for servers and clients alike
 * (lbs.md §2). Decoding is strict: exact lengths, no trailing bytes.
 */
public final class LbsCodec {

    /** Type word, count and block number in front of an APPEND's payload. */
    public static final int APPEND_HEADER_LENGTH = 16;

    private LbsCodec() {
    }

    public static byte[] encodeRequest(LbsRequest request) {
        switch (request.type()) {
            case LbsRequest.PARAMS:
            case LbsRequest.PARAMS2:
                return new RecordWriter(4).u32(request.type()).finish();
            case LbsRequest.GET:
                return new RecordWriter(12).u32(LbsRequest.GET).u64(((LbsRequest.Get) request).block()).finish();
            case LbsRequest.FREE:
                return new RecordWriter(12).u32(LbsRequest.FREE).u64(((LbsRequest.Free) request).block()).finish();
            case LbsRequest.APPEND: {
                LbsRequest.Append append = (LbsRequest.Append) request;
                return new RecordWriter(APPEND_HEADER_LENGTH + append.data().length)
                        .bytes(appendHeader(append.block(), append.count())).bytes(append.data()).finish();
            }
            default:
                throw new IllegalArgumentException("unknown LBS request " + request);
        }
    }

    /** The type word, count and block number an APPEND record starts with; its blocks follow. */
    public static byte[] appendHeader(long block, int count) {
        return new RecordWriter(APPEND_HEADER_LENGTH).u32(LbsRequest.APPEND).u32(count).u64(block).finish();
    }

    /**
     * Parses a request record. The APPEND payload is checked to split into
     * whole blocks; whether that block length is the store's is the server's
     * check (it alone knows the block size).
     */
    public static LbsRequest decodeRequest(byte[] record) throws ProtocolException {
        RecordReader in = new RecordReader(record, "LBS request");
        int type = in.u32("type");
        LbsRequest request;
        switch (type) {
            case LbsRequest.PARAMS:
                request = new LbsRequest.Params();
                break;
            case LbsRequest.PARAMS2:
                request = new LbsRequest.Params2();
                break;
            case LbsRequest.GET:
                request = new LbsRequest.Get(in.u64("block"));
                break;
            case LbsRequest.FREE:
                request = new LbsRequest.Free(in.u64("block"));
                break;
            case LbsRequest.APPEND: {
                long count = in.u32("count") & 0xffffffffL;
                long block = in.u64("block");
                if (count == 0) {
                    throw new ProtocolException("LBS APPEND: count 0 (expected: > 0)");
                }
                // Only an empty payload splits into more than 2^31-1 blocks; no
                // store has empty blocks, and Append holds the count in an int.
                if (count > Integer.MAX_VALUE) {
                    throw new ProtocolException("LBS APPEND: count " + count + " (expected: <= " + Integer.MAX_VALUE + ")");
                }
                if (in.remaining() % count != 0) {
                    throw new ProtocolException("LBS APPEND: payload " + in.remaining() + " bytes does not split into " + count + " blocks");
                }
                request = new LbsRequest.Append((int) count, block, in.rest());
                break;
            }
            default:
                throw new ProtocolException(String.format("Unrecognized LBS request type 0x%08x", type));
        }
        in.expectEnd();
        return request;
    }

    public static byte[] encodeResponse(LbsResponse response) {
        if (response instanceof LbsResponse.Params) {
            LbsResponse.Params p = (LbsResponse.Params) response;
            return new RecordWriter(12).u32(p.blockSize()).u64(p.nextBlock()).finish();
        }
        if (response instanceof LbsResponse.Params2) {
            LbsResponse.Params2 p = (LbsResponse.Params2) response;
            return new RecordWriter(20).u32(p.blockSize()).u64(p.nextBlock()).u64(p.lastBlock()).finish();
        }
        if (response instanceof LbsResponse.Get) {
            LbsResponse.Get g = (LbsResponse.Get) response;
            if (!g.present()) {
                return new RecordWriter(4).u32(LbsResponse.STATUS_FAIL).finish();
            }
            return new RecordWriter(4 + g.block().length).u32(LbsResponse.STATUS_OK).bytes(g.block()).finish();
        }
        if (response instanceof LbsResponse.Append) {
            LbsResponse.Append a = (LbsResponse.Append) response;
            if (!a.accepted()) {
                return new RecordWriter(4).u32(LbsResponse.STATUS_FAIL).finish();
            }
            return new RecordWriter(12).u32(LbsResponse.STATUS_OK).u64(a.nextBlock()).finish();
        }
        return new RecordWriter(4).u32(LbsResponse.STATUS_OK).finish();
    }

    /**
     * Parses the response to {@code request}.
     *
     * @param blockSize the store's block size, or 0 when not known yet; a
     *                  present GET answer must carry exactly that many bytes
     */
    public static LbsResponse decodeResponse(LbsRequest request, byte[] record, int blockSize) throws ProtocolException {
        RecordReader in = new RecordReader(record, "LBS response to " + request.getClass().getSimpleName());
        LbsResponse response;
        switch (request.type()) {
            case LbsRequest.PARAMS:
                response = new LbsResponse.Params(in.u32("blockSize"), in.u64("nextBlock"));
                break;
            case LbsRequest.PARAMS2:
                response = new LbsResponse.Params2(in.u32("blockSize"), in.u64("nextBlock"), in.u64("lastBlock"));
                break;
            case LbsRequest.GET: {
                int status = status(in);
                if (status == LbsResponse.STATUS_FAIL) {
                    response = LbsResponse.Get.ABSENT;
                } else {
                    if (blockSize > 0 && in.remaining() != blockSize) {
                        throw new ProtocolException("LBS GET response: block of " + in.remaining() + " bytes (expected: " + blockSize + ")");
                    }
                    response = new LbsResponse.Get(in.rest());
                }
                break;
            }
            case LbsRequest.APPEND:
                response = appendResponse(in);
                break;
            case LbsRequest.FREE:
                if (in.u32("status") != LbsResponse.STATUS_OK) {
                    throw new ProtocolException("LBS FREE response: non-zero status");
                }
                response = LbsResponse.Free.OK;
                break;
            default:
                throw new IllegalArgumentException("unknown LBS request " + request);
        }
        in.expectEnd();
        return response;
    }

    /** Parses the answer to an APPEND; the request itself tells nothing more. */
    public static LbsResponse.Append decodeAppendResponse(byte[] record) throws ProtocolException {
        RecordReader in = new RecordReader(record, "LBS response to Append");
        LbsResponse.Append response = appendResponse(in);
        in.expectEnd();
        return response;
    }

    private static LbsResponse.Append appendResponse(RecordReader in) throws ProtocolException {
        int status = status(in);
        return status == LbsResponse.STATUS_FAIL ? LbsResponse.Append.REFUSED : new LbsResponse.Append(true, in.u64("nextBlock"));
    }

    private static int status(RecordReader in) throws ProtocolException {
        int status = in.u32("status");
        if (status != LbsResponse.STATUS_OK && status != LbsResponse.STATUS_FAIL) {
            throw new ProtocolException("LBS response: status " + Integer.toUnsignedString(status) + " (expected: 0 or 1)");
        }
        return status;
    }
}
