package io.kivaloo.proto.wire;

import java.lang.management.ManagementFactory;

/**
 * Bytes the current thread allocates on the heap between two calls, from the
 * JVM's per-thread counter. The fuzz tests bound what a decoder allocates
 * for one input by a multiple of the input's length: a decoder that sized an
 * array from an untrusted count or length would overshoot it by orders of
 * magnitude. The counter is approximate (allocation buffers), so the bounds
 * are generous; they catch gigabytes, not bytes.
 */
public final class AllocationMeter {

    private static final com.sun.management.ThreadMXBean THREADS =
            (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();

    private final long start;

    private AllocationMeter() {
        this.start = THREADS.getCurrentThreadAllocatedBytes();
    }

    /** Starts counting. */
    public static AllocationMeter start() {
        return new AllocationMeter();
    }

    /** Bytes allocated by this thread since {@link #start()}. */
    public long allocated() {
        return THREADS.getCurrentThreadAllocatedBytes() - start;
    }
}
