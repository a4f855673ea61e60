package io.kivaloo.bench.workload;

import io.kivaloo.bench.data.GlibcRandom;
import io.kivaloo.bench.data.PairMaker;
import io.kivaloo.bench.measure.SecondCounter;
import io.kivaloo.bench.run.BenchConnection;
import io.kivaloo.bench.run.Pipeline;
import io.kivaloo.bench.run.Window;
import io.kivaloo.bench.run.WorkloadRun;
import io.kivaloo.proto.kvlds.Key;
import io.kivaloo.proto.kvlds.KvldsRequest;
import io.kivaloo.proto.kvlds.KvldsResponse;

import java.io.IOException;

/**
 * bench/random_mixed: keys chosen as in random_read; operation j (from 0) is a
 * GET when {@code j & 2 == 0} and a SET otherwise (GET, GET, SET, SET, ...).
 * The SET value is 40 bytes: be64(j + 1) then 32 zero bytes (the C buffer
 * starts zeroed and only its first 8 bytes change). Prints the median
 * operations per second (50 s warm-up, 100 s window).
 */
public final class RandomMixed implements Pipeline.Workload {

    private static final int VALUE_LENGTH = 40;

    private final long pairs;
    private final GlibcRandom random = new GlibcRandom();
    private final PairMaker maker = new PairMaker();
    private final SecondCounter counter;
    private long operations;

    RandomMixed(long pairs, SecondCounter counter) {
        if (pairs < 1) {
            throw new IllegalArgumentException("N: " + pairs + " (expected: >= 1)");
        }
        this.pairs = pairs;
        this.counter = counter;
    }

    /** Returns the median operations per second. */
    public static long run(BenchConnection connection, long pairs, Window window, int maxInFlight) throws IOException {
        RandomMixed workload = new RandomMixed(pairs, window.newCounter());
        return WorkloadRun.median("random-mixed", connection, workload, workload.counter, maxInFlight);
    }

    @Override
    public KvldsRequest next() {
        long n = random.next() % pairs;
        Key key = Key.wrap(maker.key(n >>> 16, n & 0xFFFF));
        long j = operations++;
        if ((j & 2) == 0) {
            return new KvldsRequest.Get(key);
        }
        byte[] value = new byte[VALUE_LENGTH];
        long v = j + 1;
        for (int i = 0; i < 8; i++) {
            value[i] = (byte) (v >>> (56 - 8 * i));
        }
        return new KvldsRequest.Set(key, Key.wrap(value));
    }

    @Override
    public boolean completed(KvldsResponse response) {
        return counter.tick();
    }
}
