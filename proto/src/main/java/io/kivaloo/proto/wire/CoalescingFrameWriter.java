package io.kivaloo.proto.wire;

import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;

/**
 * Frames packets for one channel into a single buffer that goes down the
 * pipeline as one message, once per event-loop turn or every
 * {@value #LIMIT_BYTES} bytes. Passing each small packet through the pipeline
 * as its own message, with its own buffer and outbound-queue entry, costs
 * more than what a daemon does to answer a GET; {@link FrameEncoder} in the
 * pipeline lets the framed buffer pass unchanged.
 *
 * <p>Event loop of the channel only. Whoever writes decides when a turn ends
 * and calls {@link #flush()}; {@link #discard()} releases what is left when
 * the channel is gone.
 */
public final class CoalescingFrameWriter {

    /** Framed bytes gathered before they are handed to the channel, even within one turn. */
    public static final int LIMIT_BYTES = 64 * 1024;

    private final Channel channel;
    private final FrameEncoder framer = new FrameEncoder();
    /** Framed packets not yet written to the channel; null when there are none. */
    private ByteBuf pending;

    public CoalescingFrameWriter(Channel channel) {
        this.channel = channel;
    }

    /** Frames one packet behind those already gathered. */
    public void write(long id, byte[] record) {
        framer.encode(new Packet(id, record), room(record.length + WireFormat.OVERHEAD));
        writeIfFull();
    }

    /**
     * Gathers {@code frame}, a whole packet as received
     * ({@link FrameDecoder#wholeFrames}), under {@code id}, without framing
     * its record again ({@link FrameEncoder#encodeReaddressed}).
     */
    public void writeReaddressed(long id, byte[] frame) {
        framer.encodeReaddressed(id, frame, room(frame.length));
        writeIfFull();
    }

    /**
     * Like {@link #writeReaddressed} but in a buffer of the packet's own
     * size, behind everything gathered so far: for a receiver that is not
     * reading, whose queue would otherwise hold a {@value #LIMIT_BYTES}
     * buffer for every few packets (mux's memory bounds).
     */
    public void writeReaddressedAlone(long id, byte[] frame) {
        writePending();
        ByteBuf out = channel.alloc().ioBuffer(frame.length);
        framer.encodeReaddressed(id, frame, out);
        channel.write(out, channel.voidPromise());
    }

    /** The buffer to gather {@code bytes} more into. */
    private ByteBuf room(int bytes) {
        if (pending != null && pending.writableBytes() < bytes) {
            // Handed over full rather than grown: growing doubles the capacity for one packet's sake,
            // and what a queued buffer takes is its capacity (mux's and kvlds's memory bounds count it).
            writePending();
        }
        if (pending == null) {
            pending = channel.alloc().ioBuffer(Math.max(LIMIT_BYTES, bytes));
        }
        return pending;
    }

    private void writeIfFull() {
        if (pending.readableBytes() >= LIMIT_BYTES) {
            writePending();
        }
    }

    /** Framed bytes gathered and not yet handed to the channel (for memory accounting). */
    public int pendingBytes() {
        return pending == null ? 0 : pending.readableBytes();
    }

    /** Hands everything gathered to the channel and flushes it. */
    public void flush() {
        writePending();
        channel.flush();
    }

    /** Releases what was gathered and never written: the channel is gone. */
    public void discard() {
        if (pending != null) {
            pending.release();
            pending = null;
        }
    }

    private void writePending() {
        if (pending != null) {
            ByteBuf out = pending;
            pending = null;
            channel.write(out, channel.voidPromise());
        }
    }
}
