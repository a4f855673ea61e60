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
 * <p>The buffer's capacity adapts to the traffic, from the smallest given to
 * {@value #LIMIT_BYTES}: it doubles each time a buffer fills before its turn
 * ends, and halves after a turn that used less than a quarter of it. A
 * daemon answering one pipelining connection keeps the default (start at
 * the limit); mux, with 10,000 clients of which hundreds get an answer in
 * the same turn (a group commit answers all their SETs at once), starts
 * each at 1 KiB: 64 KiB for each of them was 64 MB of buffers allocated and
 * freed within one turn, which the C library kept as resident memory
 * (mux/DESIGN.md "Memory at 10,000 connections").
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
    /** The capacity a buffer shrinks back to, in bytes. */
    private final int smallestBytes;
    /** The capacity of the next buffer, in bytes: from {@link #smallestBytes} to {@link #LIMIT_BYTES}. */
    private int bufferBytes;
    /** Framed packets not yet written to the channel; null when there are none. */
    private ByteBuf pending;

    /** Buffers of {@value #LIMIT_BYTES} from the start: for a connection that pipelines. */
    public CoalescingFrameWriter(Channel channel) {
        this(channel, LIMIT_BYTES);
    }

    /** Buffers that start at {@code smallestBytes} (1 .. {@value #LIMIT_BYTES}) and adapt (above). */
    public CoalescingFrameWriter(Channel channel, int smallestBytes) {
        if (smallestBytes < 1 || smallestBytes > LIMIT_BYTES) {
            throw new IllegalArgumentException("smallestBytes: " + smallestBytes + " (expected: 1.." + LIMIT_BYTES + ")");
        }
        this.channel = channel;
        this.smallestBytes = smallestBytes;
        this.bufferBytes = smallestBytes;
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
            // Filled within a turn: the next one may hold twice as much.
            writePending();
            bufferBytes = Math.min(LIMIT_BYTES, bufferBytes * 2);
        }
        if (pending == null) {
            pending = channel.alloc().ioBuffer(Math.max(bufferBytes, bytes));
        }
        return pending;
    }

    private void writeIfFull() {
        if (pending.readableBytes() >= LIMIT_BYTES) {
            writePending();
        }
    }

    /** The capacity the next buffer gets (at least), in bytes. */
    public int bufferBytes() {
        return bufferBytes;
    }

    /** Framed bytes gathered and not yet handed to the channel (for memory accounting). */
    public int pendingBytes() {
        return pending == null ? 0 : pending.readableBytes();
    }

    /** Hands everything gathered to the channel and flushes it: the end of a turn. */
    public void flush() {
        if (pending != null && pending.readableBytes() < bufferBytes / 4) {
            bufferBytes = Math.max(smallestBytes, bufferBytes / 2);
        }
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
