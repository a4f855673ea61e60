package io.kivaloo.mux;

import io.kivaloo.proto.wire.CoalescingFrameWriter;
import io.netty.channel.EventLoop;

import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * Bytes of answers mux may hold for its clients, per client and in total
 * (DESIGN.md "Memory bounds").
 *
 * <p>mux must always read the target (one slow client must not stall the
 * shared connection), so the only place to bound what answers cost is
 * before their requests leave. A request is charged, before it goes
 * upstream, the longest answer it can get ({@link ClientSession#chargeFor}).
 * When the answer arrives its charge becomes the answer's own size, and
 * that is refunded once the bytes have left for the client's socket
 * ({@link ClientSession}). A client with anything charged is also charged
 * {@link #BUFFER_RESERVE}: the one framing buffer of
 * {@link CoalescingFrameWriter#LIMIT_BYTES} capacity that may sit, mostly
 * empty, in its queue when its socket stops taking answers (answers queued
 * after that get buffers of their own size). So the memory the queued
 * answers take never exceeds what is charged.
 *
 * <ul>
 * <li>A client may be charged at most {@code maxClientBytes}; one request
 *     is always allowed when it owes nothing, so that a whole-store RANGE
 *     passes a small bound. Beyond, its requests wait and it is not read: a
 *     client that does not read its answers stops there, alone.</li>
 * <li>All clients together may be charged at most {@code maxTotalBytes}.
 *     A request that would pass it waits, its client in {@link #waiting},
 *     resumed in order as refunds make room. So that clients that do not
 *     read cannot keep that room from the others by their number, a client
 *     whose socket has taken none of its queued answers for
 *     {@code stalledNanos} is closed, the one with most queued first, one
 *     at a time (its answers are refunded when it is gone). A client that
 *     reads, however slowly its large answer leaves, makes progress and is
 *     never chosen.</li>
 * </ul>
 *
 * <p>Event loop only.
 */
final class AnswerBudget {

    /** What one client's mostly empty framing buffer may take while its socket is full (above). */
    static final long BUFFER_RESERVE = CoalescingFrameWriter.LIMIT_BYTES;

    private final long maxClientBytes;
    private final long maxTotalBytes;
    private final long stalledNanos;
    private final EventLoop loop;
    /** Sessions whose next request waits for the total to fall; resumed oldest first. */
    private final Set<ClientSession> waiting = new LinkedHashSet<>();
    /** Sessions with answers queued that their socket has not taken: the candidates to close for room. */
    private final Set<ClientSession> unsent = new HashSet<>();
    private final Runnable recheck = this::recheck;
    /** The session closed to make room, until it is gone; null when none. */
    private ClientSession closing;
    /** A {@link #recheck} is scheduled for when the first candidate will have stalled long enough. */
    private boolean recheckScheduled;
    private boolean resuming;
    /** Bytes charged to all clients now, and the most ever. */
    private long total;
    private long peakTotal;

    AnswerBudget(long maxClientBytes, long maxTotalBytes, long stalledMillis, EventLoop loop) {
        this.maxClientBytes = maxClientBytes;
        this.maxTotalBytes = maxTotalBytes;
        this.stalledNanos = TimeUnit.MILLISECONDS.toNanos(stalledMillis);
        this.loop = loop;
    }

    /**
     * Charges {@code session} {@code bytes} if both bounds allow; otherwise
     * charges nothing and returns false. Past its own bound the session
     * resumes when its own answers are delivered or leave; past the total,
     * through {@link ClientSession#resume()} once there is room.
     */
    boolean tryCharge(ClientSession session, long bytes) {
        long owed = session.charged();
        long need = owed == 0 ? bytes + BUFFER_RESERVE : bytes;
        if (owed > 0 && owed + need > maxClientBytes) {
            return false;
        }
        if (total > 0 && total + need > maxTotalBytes) {
            waiting.add(session);
            makeRoom();
            return false;
        }
        add(session, need);
        return true;
    }

    /** Charges whatever the bounds say: an answer longer than its request was charged for (forward-any mode). */
    void charge(ClientSession session, long bytes) {
        add(session, session.charged() == 0 ? bytes + BUFFER_RESERVE : bytes);
    }

    /**
     * Gives back {@code bytes} of {@code session}'s charge, its reserve too
     * once it owes nothing else, and resumes sessions waiting for room.
     */
    void refund(ClientSession session, long bytes) {
        long back = session.charged() - bytes == BUFFER_RESERVE ? bytes + BUFFER_RESERVE : bytes;
        session.addCharged(-back);
        total -= back;
        if (!waiting.isEmpty() && total < maxTotalBytes) {
            resumeWaiting();
        }
    }

    /**
     * {@code session} now has answers queued that its socket did not take
     * (true), or none (false). While sessions wait for room, a session that
     * holds unsent answers may be the one to close.
     */
    void holdsUnsent(ClientSession session, boolean holds) {
        if (holds) {
            unsent.add(session);
            if (!waiting.isEmpty()) {
                makeRoom();
            }
        } else {
            unsent.remove(session);
        }
    }

    /** {@code session} is gone: nothing to resume, nothing to close. Before its last refunds. */
    void forget(ClientSession session) {
        waiting.remove(session);
        unsent.remove(session);
        if (closing == session) {
            closing = null;
        }
    }

    long total() {
        return total;
    }

    long peakTotal() {
        return peakTotal;
    }

    /** Sessions whose next request waits for room in the total. */
    int waitingCount() {
        return waiting.size();
    }

    private void add(ClientSession session, long bytes) {
        session.addCharged(bytes);
        total += bytes;
        if (total > peakTotal) {
            peakTotal = total;
        }
    }

    /**
     * Resumes waiting sessions, oldest first, while there is room; stops at
     * the first whose next request still does not fit (it waits again, at
     * the end), so that each refund costs little however many wait.
     */
    private void resumeWaiting() {
        if (resuming) {
            return; // a session resumed below caused this refund; the loop goes on
        }
        resuming = true;
        try {
            while (!waiting.isEmpty() && total < maxTotalBytes) {
                Iterator<ClientSession> first = waiting.iterator();
                ClientSession session = first.next();
                first.remove();
                session.resume();
                if (waiting.contains(session)) {
                    return;
                }
            }
        } finally {
            resuming = false;
        }
    }

    /**
     * Closes, if none is being closed already, the session with the most
     * answers queued among those whose socket has taken none of them for
     * {@code stalledNanos}. If some hold answers but none has stalled that
     * long yet, looks again when the first will have. Sessions whose answers
     * all left are never closed here: their charges are answers on their
     * way, which arrive and leave by themselves.
     */
    private void makeRoom() {
        if (closing != null || recheckScheduled) {
            return;
        }
        long now = System.nanoTime();
        ClientSession largest = null;
        long soonest = Long.MAX_VALUE;
        for (ClientSession s : unsent) {
            long stalled = s.stalledNanos(now);
            if (stalled >= stalledNanos) {
                if (largest == null || s.unsentBytes() > largest.unsentBytes()) {
                    largest = s;
                }
            } else {
                soonest = Math.min(soonest, stalledNanos - stalled);
            }
        }
        if (largest != null) {
            closing = largest;
            unsent.remove(largest);
            largest.closeForUnreadAnswers(total, maxTotalBytes);
        } else if (soonest != Long.MAX_VALUE) {
            recheckScheduled = true;
            loop.schedule(recheck, soonest, TimeUnit.NANOSECONDS);
        }
    }

    private void recheck() {
        recheckScheduled = false;
        if (!waiting.isEmpty()) {
            makeRoom();
        }
    }
}
