package io.kivaloo.kvlds.server;

import io.kivaloo.kvlds.page.PageFormat;
import io.kivaloo.proto.daemon.StartupException;
import io.kivaloo.proto.lbs.store.BlockSizeRange;

/**
 * What follows from the lbs block size B (kvlds.md §3, §6.2, §9): the key and
 * value limits, the cache size in pages and the largest batch. The checks
 * keep every page within B:
 * <ul>
 *   <li>kmax + vmax + 2 <= B/3: a pair added to a node below the split point
 *       (2B/3) cannot push it past B;</li>
 *   <li>3 kmax + 93 <= 2B/3: a parent with three maximal separators (four
 *       children) fits in 2/3 of a page, so fan-out at least doubles per level.</li>
 * </ul>
 */
public record KvldsLimits(int blockSize, int maxKeyLength, int maxValueLength, int cachePages, int maxBatchPages) {

    public static final int MIN_CACHE_PAGES = 1 << 10;
    public static final int MAX_CACHE_PAGES = 1 << 30;

    public static KvldsLimits resolve(KvldsConfig config, int blockSize) throws StartupException {
        if (!BlockSizeRange.contains(blockSize)) {
            // The lbs's block size, not an option of ours: kvlds says whose number it is.
            throw new StartupException("lbs block size " + blockSize + " is not in [" + BlockSizeRange.MIN_BLOCK_SIZE + ", "
                    + BlockSizeRange.MAX_BLOCK_SIZE + "]");
        }
        long pages = config.cachePages() != null ? config.cachePages()
                : (config.cacheBytes() != null ? config.cacheBytes() : KvldsConfig.DEFAULT_CACHE_BYTES) / blockSize;
        if (pages < MIN_CACHE_PAGES || pages > MAX_CACHE_PAGES) {
            throw new StartupException("Cache size in pages must be in [2^10, 2^30]");
        }
        int kmax = config.maxKeyLength() != null ? config.maxKeyLength() : blockSize >= 2048 ? 255 : blockSize >= 1024 ? 128 : 64;
        int vmax = config.maxValueLength() != null ? config.maxValueLength() : blockSize >= 2048 ? 255 : blockSize >= 1024 ? 192 : 96;
        if (kmax + vmax + 2 > blockSize / 3) {
            throw new StartupException("Key or value lengths too large for page size");
        }
        if (3 * kmax + 3 + 4 * PageFormat.CHILD + PageFormat.HEADER > PageFormat.breakAt(blockSize)) {
            throw new StartupException("Key length too large for page size");
        }
        // The C kvlds's mr_concurrency: a quarter of the cache, and an APPEND record below 4 GiB.
        long maxBatchPages = Math.min(pages / 4, (0xffffffffL - 16) / blockSize);
        return new KvldsLimits(blockSize, kmax, vmax, (int) pages, (int) maxBatchPages);
    }

    /** Heap beyond the cache's page bytes that kvlds needs in any case: buffers, the running batch, the JVM's own. */
    static final long HEAP_HEADROOM = 64L << 20;

    /**
     * Refuses a cache that cannot fit in the JVM's heap, instead of failing
     * with OutOfMemoryError once the cache has filled (hours into a run).
     * Cached pages cost their bytes plus per-pair offsets, about 1.2 times
     * the bytes for 40-byte pairs, up to 3.7 times for the smallest pairs;
     * the launcher sizes the heap at four times the cache plus 512 MiB.
     *
     * @return a warning when the heap is tight (under twice the cache bytes), or null
     */
    public String checkHeap(long maxHeapBytes) throws StartupException {
        long cacheBytes = (long) cachePages * blockSize;
        if (maxHeapBytes < cacheBytes + HEAP_HEADROOM) {
            throw new StartupException("a cache of " + cachePages + " pages of " + blockSize + " bytes (" + (cacheBytes >> 20)
                    + " MiB) does not fit in the JVM's heap of " + (maxHeapBytes >> 20)
                    + " MiB: give a smaller -C/-c, or a larger -Xmx in KIVALOO_JAVA_OPTS");
        }
        if (maxHeapBytes < 2 * cacheBytes + HEAP_HEADROOM) {
            return "heap of " + (maxHeapBytes >> 20) + " MiB is tight for a cache of " + (cacheBytes >> 20)
                    + " MiB; pages with many small pairs may not fit (set -Xmx in KIVALOO_JAVA_OPTS)";
        }
        return null;
    }

    /** Modifications per batch: each may dirty a whole path of height + 1 pages. */
    public int maxBatch(int height) {
        return Math.max(1, maxBatchPages / (height + 1));
    }
}
