package io.kivaloo.kvlds.server;

import io.kivaloo.kvlds.btree.BTree;
import io.kivaloo.kvlds.cache.PageCache;
import io.kivaloo.kvlds.cleaner.Cleaner;
import io.kivaloo.proto.kvlds.KvldsRequest;
import io.kivaloo.proto.metrics.DaemonMetrics;
import io.prometheus.metrics.core.datapoints.CounterDataPoint;
import io.prometheus.metrics.core.datapoints.DistributionDataPoint;
import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.core.metrics.Gauge;
import io.prometheus.metrics.core.metrics.Histogram;

/**
 * kvlds's series ({@code kivaloo_kvlds_*}, DESIGN.md "Metrics"). Every
 * method runs on the event loop, the thread that owns the tree: requests and
 * batches are counted as they happen; the tree's and cache's own counts are
 * copied over once a second by {@link #publish}, so the HTTP thread never
 * reads the tree.
 */
public final class KvldsMetrics {

    /**
     * Wire type codes by label; index = position in {@link #TYPES}. PARAMS
     * is answered by the connection itself, before the dispatcher, and is
     * not counted.
     */
    private static final int[] TYPES = {
        KvldsRequest.SET, KvldsRequest.CAS, KvldsRequest.ADD, KvldsRequest.MODIFY,
        KvldsRequest.DELETE, KvldsRequest.CAD, KvldsRequest.GET, KvldsRequest.RANGE
    };
    private static final String[] NAMES = {"set", "cas", "add", "modify", "delete", "cad", "get", "range"};

    /**
     * Reads are timed one in 16: a GET answered from the cache costs about a
     * microsecond, and two clock reads plus a histogram update on every one
     * would add several per cent to the read benchmarks. Modifications wait
     * for an fsync and are all timed. The histogram's count is then a sample
     * of the reads; the requests counter counts them all.
     */
    private static final int READ_SAMPLE_MASK = 15;
    /** What {@link #requested} returns for an untimed request. */
    static final long NOT_TIMED = Long.MIN_VALUE;

    private final CounterDataPoint[] requests = new CounterDataPoint[TYPES.length];
    private final DistributionDataPoint[] latency = new DistributionDataPoint[TYPES.length];
    private final Counter batches;
    private final Counter pagesWritten;
    private final Counter cacheHits;
    private final Counter cacheMisses;
    private final Gauge livePages;
    private final Gauge logSpan;
    private final Gauge cleaningDebt;
    private final Gauge cachePages;
    /** What {@link #publish} last copied, to add only the difference to the counters. */
    private long publishedHits;
    /** Reads seen, for the sampling (event loop only). */
    private int readsSeen;
    private long publishedMisses;

    public KvldsMetrics(DaemonMetrics metrics) {
        Counter requestCounter = metrics.counter("requests", "Requests received, by type.", "type");
        Histogram requestLatency = metrics.latency("request_duration",
                "From a request's arrival to its answer; modifications include the wait for their batch's APPEND.", "type");
        for (int i = 0; i < TYPES.length; i++) {
            requests[i] = requestCounter.labelValues(NAMES[i]);
            latency[i] = requestLatency.labelValues(NAMES[i]);
        }
        batches = metrics.counter("batches", "Group-commit batches that wrote pages.");
        pagesWritten = metrics.counter("pages_written", "Pages appended to lbs.");
        cacheHits = metrics.counter("cache_hits", "Page lookups answered from the cache (copied once a second).");
        cacheMisses = metrics.counter("cache_misses", "Page lookups that read lbs (copied once a second).");
        livePages = metrics.gauge("live_pages", "Pages of the committed tree.");
        logSpan = metrics.gauge("log_span_blocks", "Blocks from the oldest live leaf to the end of the log: live pages plus garbage.");
        cleaningDebt = metrics.gauge("cleaning_debt", "Pages the cleaner owes (kvlds.md §10); growing without bound means the log grows.");
        cachePages = metrics.gauge("cache_pages", "Pages held in the page cache.");
    }

    /** A request has arrived; returns its arrival time for {@link #answered}, or {@link #NOT_TIMED}. */
    long requested(int type) {
        int i = index(type);
        if (i >= 0) {
            requests[i].inc();
        }
        if ((type == KvldsRequest.GET || type == KvldsRequest.RANGE) && (readsSeen++ & READ_SAMPLE_MASK) != 0) {
            return NOT_TIMED;
        }
        return System.nanoTime();
    }

    /** The request of {@code type} that arrived at {@code arrivalNanos} is answered. */
    void answered(int type, long arrivalNanos) {
        int i = index(type);
        if (i >= 0 && arrivalNanos != NOT_TIMED) {
            latency[i].observe((System.nanoTime() - arrivalNanos) / 1e9);
        }
    }

    /** A batch committed, having written {@code pages} pages (0: nothing changed, not counted). */
    void batchCommitted(int pages) {
        if (pages > 0) {
            batches.inc();
            pagesWritten.inc(pages);
        }
    }

    /** Copies the tree's, cache's and cleaner's figures; on the event loop, once a second. */
    void publish(BTree tree, Cleaner cleaner) {
        livePages.set(tree.committed().nnodes());
        logSpan.set(tree.npages());
        cleaningDebt.set(cleaner.debt());
        PageCache cache = tree.cache();
        cachePages.set(cache.size());
        cacheHits.inc(cache.hits() - publishedHits);
        cacheMisses.inc(cache.misses() - publishedMisses);
        publishedHits = cache.hits();
        publishedMisses = cache.misses();
    }

    private static int index(int type) {
        for (int i = 0; i < TYPES.length; i++) {
            if (TYPES[i] == type) {
                return i;
            }
        }
        return -1;
    }
}
