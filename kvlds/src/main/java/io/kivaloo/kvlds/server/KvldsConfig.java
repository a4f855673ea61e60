package io.kivaloo.kvlds.server;

import io.kivaloo.kvlds.cleaner.CleaningPolicy;
import io.kivaloo.proto.net.KivalooAddress;

/**
 * The daemon's settings as given on the command line (kvlds.md §12); what
 * depends on the lbs block size is resolved later by {@link KvldsLimits}.
 *
 * @param cachePages      -C, or null
 * @param cacheBytes      -c, or null (default 128 MiB when neither is given)
 * @param maxKeyLength    -k, or null for the block size's default
 * @param maxValueLength  -v, or null for the block size's default
 * @param cleaning        -S and --max-span: what the cleaner aims for
 * @param commitDelayNanos -w: how long the first queued modification may wait for company
 * @param minForcedCommit -g: queued modifications that start a batch at once; 0 = never
 * @param single          -1: exit after the first connection
 * @param warmup          run the hot paths on a private in-memory tree before reporting ready ({@code --warmup}; off by default)
 */
public record KvldsConfig(KivalooAddress address, KivalooAddress lbsAddress, Long cachePages, Long cacheBytes,
                          Integer maxKeyLength, Integer maxValueLength, CleaningPolicy cleaning, long commitDelayNanos,
                          int minForcedCommit, boolean single, boolean warmup) {

    /** -c's default: 128 MiB (the C code's value; its DESIGN text says 128M). */
    public static final long DEFAULT_CACHE_BYTES = 128L * 1024 * 1024;
}
