package io.kivaloo.proto.lbs;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import io.kivaloo.proto.wire.AllocationMeter;
import io.kivaloo.proto.wire.ProtocolException;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Coverage-guided fuzzing (Jazzer) of the LBS record decoders: any record is
 * a request (or a response to any request) or a {@link ProtocolException};
 * nothing else is thrown; a request that decodes encodes back to the very
 * same bytes (one record, one meaning); and decoding allocates no more than
 * a small multiple of the record's length, whatever counts it announces.
 * The allocation is measured on a second decode of the same input: the first
 * loads the classes the input reaches, which allocates for itself.
 */
class LbsCodecFuzzTest {

    private static final LbsRequest[] ASKED = {
            new LbsRequest.Params(), new LbsRequest.Params2(), new LbsRequest.Get(3),
            new LbsRequest.Append(1, 0, new byte[512]), new LbsRequest.Free(0)};

    @FuzzTest
    void anyRecordDecodesOrIsAProtocolException(FuzzedDataProvider data) {
        boolean response = data.consumeBoolean();
        LbsRequest asked = data.pickValue(ASKED);
        int blockSize = data.pickValue(new int[] {0, 4, 512});
        byte[] record = data.consumeRemainingAsBytes();
        decode(response, asked, blockSize, record);
        AllocationMeter meter = AllocationMeter.start();
        decode(response, asked, blockSize, record);
        assertThat(meter.allocated()).as("bytes allocated for a record of %d", record.length)
                .isLessThanOrEqualTo(16L * record.length + (1 << 20));
    }

    private static void decode(boolean response, LbsRequest asked, int blockSize, byte[] record) {
        try {
            if (response) {
                LbsCodec.decodeResponse(asked, record, blockSize);
            } else {
                LbsRequest request = LbsCodec.decodeRequest(record);
                assertThat(LbsCodec.encodeRequest(request)).as("re-encoded %s", request).isEqualTo(record);
            }
        } catch (ProtocolException malformed) {
            // the one documented failure
        }
    }
}
