package io.kivaloo.mux;

import io.kivaloo.proto.wire.CoalescingFrameWriter;
import io.netty.channel.EventLoop;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

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
    private final Set<CoalescingFrameWriter> dirty = new LinkedHashSet<>();
    private final Runnable flushTask = this::flushAll;
    private boolean scheduled;

    FlushBatcher(EventLoop loop) {
        this.loop = loop;
    }

    /** Flushes {@code writer} at the end of this loop turn. Event loop only. */
    void flushLater(CoalescingFrameWriter writer) {
        dirty.add(writer);
        if (!scheduled) {
            scheduled = true;
            loop.execute(flushTask);
        }
    }

    private void flushAll() {
        scheduled = false;
        List<CoalescingFrameWriter> writers = new ArrayList<>(dirty);
        dirty.clear();
        for (CoalescingFrameWriter writer : writers) {
            writer.flush();
        }
    }
}
