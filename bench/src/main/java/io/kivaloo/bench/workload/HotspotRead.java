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
 * bench/hotspot_read: pick {@code X = random() % (N / 65536)}, GET key(X, 0),
 * key(X, 1), ..., key(X, 65535) in that order (random with respect to key
 * order, since keys within a group sort by hash), then pick a new X. Prints
 * the median GETs per second (50 s warm-up, 10 s window). N must be at least
 * 65536: the C program divides by zero otherwise.
 */
public final class HotspotRead implements Pipeline.Workload {

    private final long groups;
    private final GlibcRandom random = new GlibcRandom();
    private final PairMaker maker = new PairMaker();
    private final SecondCounter counter;
    private long x;
    private long y = PairMaker.GROUP_SIZE;

    HotspotRead(long pairs, SecondCounter counter) {
        if (pairs < PairMaker.GROUP_SIZE) {
            throw new IllegalArgumentException("N: " + pairs + " (expected: >= " + PairMaker.GROUP_SIZE + ")");
        }
        this.groups = pairs / PairMaker.GROUP_SIZE;
        this.counter = counter;
    }

    /** Returns the median GETs per second. */
    public static long run(BenchConnection connection, long pairs, Window window, int maxInFlight) throws IOException {
        HotspotRead workload = new HotspotRead(pairs, window.newCounter());
        return WorkloadRun.median("hotspot-read", connection, workload, workload.counter, maxInFlight);
    }

    @Override
    public KvldsRequest next() {
        if (y == PairMaker.GROUP_SIZE) {
            x = random.next() % groups;
            y = 0;
        }
        return new KvldsRequest.Get(Key.wrap(maker.key(x, y++)));
    }

    @Override
    public boolean completed(KvldsResponse response) {
        return counter.tick();
    }
}
