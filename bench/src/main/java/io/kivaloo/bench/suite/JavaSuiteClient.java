package io.kivaloo.bench.suite;

import io.kivaloo.bench.data.ChannelPairInput;
import io.kivaloo.bench.data.PairInput;
import io.kivaloo.bench.run.BenchConnection;
import io.kivaloo.bench.run.Window;
import io.kivaloo.bench.workload.BulkExtract;
import io.kivaloo.bench.workload.BulkInsert;
import io.kivaloo.bench.workload.BulkUpdate;
import io.kivaloo.bench.workload.HotspotRead;
import io.kivaloo.bench.workload.RandomMixed;
import io.kivaloo.bench.workload.RandomRead;
import io.kivaloo.bench.workload.Tokyo;
import io.kivaloo.proto.net.KivalooAddress;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Our workloads, in-process, one fresh connection per run. */
final class JavaSuiteClient implements SuiteClient {

    private final long warmupSeconds;
    private final Integer seconds;
    private final int inFlight;

    /** @param seconds null for each program's own window (10 or 100 s) */
    JavaSuiteClient(long warmupSeconds, Integer seconds, int inFlight) {
        this.warmupSeconds = warmupSeconds;
        this.seconds = seconds;
        this.inFlight = inFlight;
    }

    @Override
    public String name() {
        return "kivaloo-bench";
    }

    @Override
    public List<String> run(Workload workload, Path socket, long count, Path pairs) throws IOException {
        KivalooAddress address = KivalooAddress.parse(socket.toString());
        List<String> lines = new ArrayList<>();
        try (BenchConnection connection = BenchConnection.open(address)) {
            switch (workload) {
                case BULK_INSERT:
                    try (PairInput input = ChannelPairInput.open(pairs)) {
                        BulkInsert.run(connection, input, inFlight, lines::add);
                    }
                    break;
                case BULK_UPDATE:
                    try (PairInput input = ChannelPairInput.open(pairs)) {
                        lines.add(Long.toString(BulkUpdate.run(connection, input, window(Window.C_SHORT_SECONDS), inFlight)));
                    }
                    break;
                case BULK_EXTRACT:
                    lines.add(Long.toString(BulkExtract.run(connection, window(Window.C_SHORT_SECONDS))));
                    break;
                case RANDOM_READ:
                    lines.add(Long.toString(RandomRead.run(connection, count, window(Window.C_LONG_SECONDS), inFlight)));
                    break;
                case RANDOM_MIXED:
                    lines.add(Long.toString(RandomMixed.run(connection, count, window(Window.C_LONG_SECONDS), inFlight)));
                    break;
                case HOTSPOT_READ:
                    lines.add(Long.toString(HotspotRead.run(connection, count, window(Window.C_SHORT_SECONDS), inFlight)));
                    break;
                case TOKYO:
                    lines.add(Tokyo.run(connection, inFlight));
                    break;
                default:
                    throw new IllegalArgumentException("unknown workload " + workload);
            }
        }
        return lines;
    }

    private Window window(int defaultSeconds) {
        return new Window(warmupSeconds, seconds == null ? defaultSeconds : seconds);
    }
}
