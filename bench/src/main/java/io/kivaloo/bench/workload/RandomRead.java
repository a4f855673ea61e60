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
 * bench/random_read: GET key(X, Y) with {@code n = random() % N},
 * {@code X = n >> 16}, {@code Y = n & 0xFFFF}; every completed GET counts,
 * found or not. Prints the median GETs per second (50 s warm-up, 100 s window).
 */
public final class RandomRead implements Pipeline.Workload {

    private final long pairs;
    private final GlibcRandom random = new GlibcRandom();
    private final PairMaker maker = new PairMaker();
    private final SecondCounter counter;

    RandomRead(long pairs, SecondCounter counter) {
        if (pairs < 1) {
            throw new IllegalArgumentException("N: " + pairs + " (expected: >= 1)");
        }
        this.pairs = pairs;
        this.counter = counter;
    }

    /** Returns the median GETs per second. */
    public static long run(BenchConnection connection, long pairs, Window window, int maxInFlight) throws IOException {
        RandomRead workload = new RandomRead(pairs, window.newCounter());
        return WorkloadRun.median("random-read", connection, workload, workload.counter, maxInFlight);
    }

    @Override
    public KvldsRequest next() {
        long n = random.next() % pairs;
        return new KvldsRequest.Get(Key.wrap(maker.key(n >>> 16, n & 0xFFFF)));
    }

    @Override
    public boolean completed(KvldsResponse response) {
        return counter.tick();
    }
}
