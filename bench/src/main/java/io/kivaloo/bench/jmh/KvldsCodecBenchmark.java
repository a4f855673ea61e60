package io.kivaloo.bench.jmh;

import io.kivaloo.proto.kvlds.Key;
import io.kivaloo.proto.kvlds.KvldsCodec;
import io.kivaloo.proto.kvlds.KvldsRequest;
import io.kivaloo.proto.kvlds.KvldsResponse;
import io.kivaloo.proto.wire.ProtocolException;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;

/**
 * KvldsCodec on the benchmark workloads' records: a SET of a 40-byte key and
 * value (encode on the client, decode on the server), a GET response, and a
 * RANGE response of 1000 such pairs (what bulk-extract decodes).
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class KvldsCodecBenchmark {

    private static final int RANGE_PAIRS = 1000;

    private KvldsRequest.Set set;
    private byte[] setRecord;
    private KvldsRequest.Get get;
    private byte[] getResponse;
    private KvldsRequest.Range range;
    private byte[] rangeResponse;

    @Setup
    public void setUp() {
        Random random = new Random(42);
        set = new KvldsRequest.Set(randomKey(random, 40), randomKey(random, 40));
        setRecord = KvldsCodec.encodeRequest(set);
        get = new KvldsRequest.Get(set.key());
        getResponse = KvldsCodec.encodeResponse(new KvldsResponse.Get(set.value()));
        List<KvldsResponse.Pair> pairs = new ArrayList<>();
        for (int i = 0; i < RANGE_PAIRS; i++) {
            pairs.add(new KvldsResponse.Pair(randomKey(random, 40), randomKey(random, 40)));
        }
        range = new KvldsRequest.Range(0x100000, Key.EMPTY, Key.EMPTY);
        rangeResponse = KvldsCodec.encodeResponse(new KvldsResponse.Range(Key.EMPTY, pairs));
    }

    private static Key randomKey(Random random, int length) {
        byte[] bytes = new byte[length];
        random.nextBytes(bytes);
        return Key.wrap(bytes);
    }

    @Benchmark
    public byte[] encodeSet() {
        return KvldsCodec.encodeRequest(set);
    }

    @Benchmark
    public KvldsRequest decodeSet() throws ProtocolException {
        return KvldsCodec.decodeRequest(setRecord);
    }

    @Benchmark
    public KvldsResponse decodeGetResponse() throws ProtocolException {
        return KvldsCodec.decodeResponse(get, getResponse);
    }

    @Benchmark
    public KvldsResponse decodeRangeResponse() throws ProtocolException {
        return KvldsCodec.decodeResponse(range, rangeResponse);
    }
}
