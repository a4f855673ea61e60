package io.kivaloo.proto.kvlds;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import io.kivaloo.proto.wire.AllocationMeter;
import io.kivaloo.proto.wire.ProtocolException;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Coverage-guided fuzzing (Jazzer) of the KVLDS record decoders: any record
 * is a request (or a response to any request) or a {@link ProtocolException};
 * nothing else is thrown; a request that decodes encodes back to the very
 * same bytes; and decoding allocates no more than a small multiple of the
 * record's length, whatever pair counts or lengths it announces (measured on
 * a second decode of the input, as in {@code LbsCodecFuzzTest}).
 */
class KvldsCodecFuzzTest {

    private static final Key K = Key.of("k");

    @FuzzTest
    void anyRecordDecodesOrIsAProtocolException(FuzzedDataProvider data) {
        boolean response = data.consumeBoolean();
        KvldsRequest asked = data.pickValue(new KvldsRequest[] {
                new KvldsRequest.Params(), new KvldsRequest.Set(K, K), new KvldsRequest.Cas(K, K, K),
                new KvldsRequest.Add(K, K), new KvldsRequest.Modify(K, K), new KvldsRequest.Delete(K),
                new KvldsRequest.Cad(K, K), new KvldsRequest.Get(K),
                new KvldsRequest.Range(data.consumeLong(0, 0xFFFF_FFFFL), Key.EMPTY, Key.EMPTY)});
        byte[] record = data.consumeRemainingAsBytes();
        decode(response, asked, record);
        AllocationMeter meter = AllocationMeter.start();
        decode(response, asked, record);
        assertThat(meter.allocated()).as("bytes allocated for a record of %d", record.length)
                .isLessThanOrEqualTo(16L * record.length + (1 << 20));
    }

    private static void decode(boolean response, KvldsRequest asked, byte[] record) {
        try {
            if (response) {
                KvldsCodec.decodeResponse(asked, record);
            } else {
                KvldsRequest request = KvldsCodec.decodeRequest(record);
                assertThat(KvldsCodec.encodeRequest(request)).as("re-encoded %s", request).isEqualTo(record);
            }
        } catch (ProtocolException malformed) {
            // the one documented failure
        }
    }
}
