package io.kivaloo.bench.workload;

import io.kivaloo.bench.data.PairInput;
import io.kivaloo.bench.data.PairMaker;
import io.kivaloo.bench.measure.InsertRate;
import io.kivaloo.bench.run.BenchConnection;
import io.kivaloo.bench.run.Pipeline;
import io.kivaloo.bench.run.WorkloadRun;
import io.kivaloo.proto.kvlds.Key;
import io.kivaloo.proto.kvlds.KvldsRequest;
import io.kivaloo.proto.kvlds.KvldsResponse;

import java.io.IOException;
import java.util.function.Consumer;

/**
 * bench/bulk_insert: SET every 80-byte record of the input (40-byte key,
 * 40-byte value) in input order until its end, and print the insert rate
 * lines of {@link InsertRate}.
 */
public final class BulkInsert implements Pipeline.Workload {

    private final PairInput input;
    private final InsertRate rate;
    private final byte[] record = new byte[PairMaker.RECORD_LENGTH];

    BulkInsert(PairInput input, Consumer<String> out) {
        this.input = input;
        this.rate = new InsertRate(System::nanoTime, out);
    }

    /** Inserts every pair of {@code input}; each rate line goes to {@code out}. Returns the number of SETs. */
    public static long run(BenchConnection connection, PairInput input, int maxInFlight, Consumer<String> out) throws IOException {
        BulkInsert workload = new BulkInsert(input, out);
        WorkloadRun.run("bulk-insert", connection, workload, maxInFlight, () -> "inserting");
        return workload.rate.done();
    }

    @Override
    public KvldsRequest next() throws IOException {
        if (!input.read(record)) {
            return null;
        }
        return new KvldsRequest.Set(Key.of(record, 0, PairMaker.KEY_LENGTH),
                Key.of(record, PairMaker.KEY_LENGTH, PairMaker.VALUE_LENGTH));
    }

    @Override
    public boolean completed(KvldsResponse response) {
        rate.completed();
        return false;
    }
}
