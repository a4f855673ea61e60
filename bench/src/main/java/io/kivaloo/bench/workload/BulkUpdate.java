package io.kivaloo.bench.workload;

import io.kivaloo.bench.data.PairInput;
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
 * bench/bulk_update: SET the input's records over and over. At the end of the
 * input it rewinds and increments the generation; value byte 39 gets
 * {@code += generation} (mod 256), so the first pass rewrites the original
 * values. Prints the median SETs per second (50 s warm-up, 10 s window).
 */
public final class BulkUpdate implements Pipeline.Workload {

    private final PairInput input;
    private final SecondCounter counter;
    private final byte[] record = new byte[PairMaker.RECORD_LENGTH];
    private int generation;

    BulkUpdate(PairInput input, SecondCounter counter) {
        this.input = input;
        this.counter = counter;
    }

    /** Returns the median SETs per second. */
    public static long run(BenchConnection connection, PairInput input, Window window, int maxInFlight) throws IOException {
        BulkUpdate workload = new BulkUpdate(input, window.newCounter());
        return WorkloadRun.median("bulk-update", connection, workload, workload.counter, maxInFlight);
    }

    @Override
    public KvldsRequest next() throws IOException {
        boolean rewound = false;
        while (!input.read(record)) {
            if (rewound) {
                throw new IOException("the input holds no complete 80-byte record");
            }
            generation++;
            input.rewind();
            rewound = true;
        }
        record[PairMaker.RECORD_LENGTH - 1] += (byte) generation;
        return new KvldsRequest.Set(Key.of(record, 0, PairMaker.KEY_LENGTH),
                Key.of(record, PairMaker.KEY_LENGTH, PairMaker.VALUE_LENGTH));
    }

    @Override
    public boolean completed(KvldsResponse response) {
        return counter.tick();
    }
}
