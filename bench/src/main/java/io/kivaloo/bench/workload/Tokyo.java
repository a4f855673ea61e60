package io.kivaloo.bench.workload;

import io.kivaloo.bench.measure.CFormat;
import io.kivaloo.bench.run.BenchConnection;
import io.kivaloo.bench.run.Pipeline;
import io.kivaloo.bench.run.WorkloadRun;
import io.kivaloo.proto.kvlds.Key;
import io.kivaloo.proto.kvlds.KvldsRequest;
import io.kivaloo.proto.kvlds.KvldsResponse;

import java.io.IOException;
import java.nio.charset.StandardCharsets;

/**
 * bench/tokyo (the Tokyo Cabinet comparison): SET key = value = the 8 ASCII
 * digits {@code %08zu} of i, for i = 0 .. 999 999 in order. Prints the seconds
 * from the first send to the last completion, {@code %.3f}.
 */
public final class Tokyo implements Pipeline.Workload {

    public static final int COUNT = 1_000_000;

    private final Key[] keys = new Key[COUNT];
    private int sent;

    private Tokyo() {
        // The C program formats all keys before it starts the clock.
        for (int i = 0; i < COUNT; i++) {
            keys[i] = Key.wrap(String.format("%08d", i).getBytes(StandardCharsets.US_ASCII));
        }
    }

    /** Returns the elapsed time as printed, e.g. {@code 4.123}. */
    public static String run(BenchConnection connection, int maxInFlight) throws IOException {
        Tokyo workload = new Tokyo();
        long start = System.nanoTime();
        WorkloadRun.run("tokyo", connection, workload, maxInFlight, () -> "inserting");
        long end = System.nanoTime();
        return CFormat.fixed((end - start) / 1e9, 3);
    }

    @Override
    public KvldsRequest next() {
        if (sent == COUNT) {
            return null;
        }
        Key key = keys[sent++];
        return new KvldsRequest.Set(key, key);
    }

    @Override
    public boolean completed(KvldsResponse response) {
        return false;
    }
}
