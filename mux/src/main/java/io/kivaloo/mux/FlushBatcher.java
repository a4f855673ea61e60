package io.kivaloo.mux;

import io.kivaloo.proto.wire.CoalescingFrameWriter;
import io.netty.channel.EventLoop;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Flushes each channel written to at most once per event-loop turn. The loop
 * runs queued tasks after it has handled every ready socket, so a burst of
 * requests from thousands of clients leaves for the target in a few writes,
 * and a burst of responses reaches each client in one write, rather than one
 * system call per packet. Packets are framed into one buffer per channel
 * meanwhile ({@link CoalescingFrameWriter}), so a burst also passes each
 * pipeline once, not once per packet.
 */
final class FlushBatcher {

    private final EventLoop loop;
    /** Writers to flush, each with what to run once it has been flushed (or null). */
    private final Map<CoalescingFrameWriter, Runnable> dirty = new LinkedHashMap<>();
    private final Runnable flushTask = this::flushAll;
    private boolean scheduled;

    FlushBatcher(EventLoop loop) {
        this.loop = loop;
    }

    /** Flushes {@code writer} at the end of this loop turn. Event loop only. */
    void flushLater(CoalescingFrameWriter writer) {
        dirty.putIfAbsent(writer, null);
        schedule();
    }

    /** As above, and runs {@code afterFlush} once it has been flushed. */
    void flushLater(CoalescingFrameWriter writer, Runnable afterFlush) {
        dirty.put(writer, afterFlush);
        schedule();
    }

    private void schedule() {
        if (!scheduled) {
            scheduled = true;
            loop.execute(flushTask);
        }
    }

    private void flushAll() {
        scheduled = false;
        List<Map.Entry<CoalescingFrameWriter, Runnable>> writers = new ArrayList<>(dirty.entrySet());
        dirty.clear();
        for (Map.Entry<CoalescingFrameWriter, Runnable> e : writers) {
            e.getKey().flush();
            if (e.getValue() != null) {
                e.getValue().run();
            }
        }
    }
}
