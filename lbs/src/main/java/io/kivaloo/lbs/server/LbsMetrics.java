package io.kivaloo.lbs.server;

import io.kivaloo.lbs.storage.FileBlockStore;
import io.kivaloo.proto.metrics.DaemonMetrics;
import io.prometheus.metrics.core.datapoints.CounterDataPoint;
import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.core.metrics.Gauge;
import io.prometheus.metrics.core.metrics.Histogram;

/**
 * lbs's series ({@code kivaloo_lbs_*}, DESIGN.md "Metrics"), updated by the
 * storage workers as they work: the I/O thread after each APPEND and FREE,
 * the readers after each GET. The HTTP thread only reads them.
 */
public final class LbsMetrics {

    private final Counter appends;
    private final Counter appendedBlocks;
    private final Counter appendedBytes;
    private final CounterDataPoint getsFound;
    private final CounterDataPoint getsAbsent;
    private final Histogram syncLatency;
    private final Gauge files;
    private final Gauge storedBlocks;
    private final Gauge storedBytes;

    public LbsMetrics(DaemonMetrics metrics) {
        appends = metrics.counter("appends", "APPEND requests made durable.");
        appendedBlocks = metrics.counter("append_blocks", "Blocks appended.");
        appendedBytes = metrics.counter("append_bytes", "Block bytes appended (blocks times block size).");
        Counter gets = metrics.counter("gets", "GET requests answered, by result (found, absent).", "result");
        getsFound = gets.labelValues("found");
        getsAbsent = gets.labelValues("absent");
        syncLatency = metrics.latency("fsync_duration", "Each fdatasync of a block file or fsync of the directory.");
        files = metrics.gauge("files", "Block files in the storage directory.");
        storedBlocks = metrics.gauge("stored_blocks", "Blocks stored, from the oldest kept to the next to append.");
        storedBytes = metrics.gauge("stored_bytes",
                "Block bytes stored (stored blocks times block size; file trailers and the preallocated reserve come on top).");
    }

    /** After an APPEND of {@code count} blocks is durable; on the I/O thread. */
    void appended(int count, int blockSize) {
        appends.inc();
        appendedBlocks.inc(count);
        appendedBytes.inc((long) count * blockSize);
    }

    /** After a GET; on a reader thread. */
    void read(boolean found) {
        (found ? getsFound : getsAbsent).inc();
    }

    /** One fsync took {@code nanos}; on the thread that made it. */
    void synced(long nanos) {
        syncLatency.observe(nanos / 1e9);
    }

    /** What the directory holds now; on the I/O thread, after start-up, each APPEND and each FREE. */
    void stored(FileBlockStore store) {
        files.set(store.fileCount());
        long blocks = store.nextBlock() - store.minBlock();
        storedBlocks.set(blocks);
        storedBytes.set((double) blocks * store.blockSize());
    }
}
