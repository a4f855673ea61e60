package io.kivaloo.proto.daemon;

import io.netty.channel.Channel;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * Keeps at most {@code maxConnections} client connections open across all of
 * a daemon's listeners (lbs and kvlds serve one at a time; mux takes -n).
 *
 * <p>It sits in each listening channel's pipeline, in front of Netty's
 * acceptor. At the limit it turns off accepting, so further clients wait in
 * the kernel's listen backlog, as with the original daemons. A connection the
 * kernel handed over before accepting stopped is held back, unread, until a
 * slot frees. With {@code single} (the {@code -1} option) only the first
 * connection is ever served and {@link #firstConnectionDone()} completes when it closes.
 *
 * <p>A limiter made {@linkplain #paused paused} accepts nothing until
 * {@link #open()}: a daemon that must listen before it can serve (kvlds binds
 * first, kvlds.md §8, and recovers its tree afterwards) leaves early clients
 * in the listen backlog, as the C kvlds does, and needs no half-built state
 * for them.
 */
@ChannelHandler.Sharable
public final class AcceptLimiter extends ChannelInboundHandlerAdapter {

    private final int maxConnections;
    private final boolean single;
    private final CompletableFuture<Void> firstConnectionDone = new CompletableFuture<>();
    private final List<Channel> listeners = new ArrayList<>();
    private final ArrayDeque<Held> held = new ArrayDeque<>();
    private int open;
    private long admitted;
    /** Accepting nothing until {@link #open()}. */
    private boolean paused;

    /**
     * @param maxConnections most connections open at once; 0 means no limit
     * @param single         serve only the first connection
     */
    public AcceptLimiter(int maxConnections, boolean single) {
        if (maxConnections < 0) {
            throw new IllegalArgumentException("maxConnections: " + maxConnections + " (expected: >= 0)");
        }
        this.maxConnections = single ? 1 : maxConnections;
        this.single = single;
    }

    /** A limiter that accepts nothing until {@link #open()}; see the class comment. */
    public static AcceptLimiter paused(int maxConnections, boolean single) {
        AcceptLimiter limiter = new AcceptLimiter(maxConnections, single);
        limiter.paused = true;
        return limiter;
    }

    /** Starts accepting (a {@linkplain #paused paused} limiter): the daemon is ready to serve. */
    public void open() {
        Held next;
        synchronized (this) {
            paused = false;
            next = admitHeld();
            updateAccepting();
        }
        admitLater(next);
    }

    /** Completes when the first connection has closed; used for {@code -1}. */
    public CompletableFuture<Void> firstConnectionDone() {
        return firstConnectionDone;
    }

    /** Connections admitted and not yet closed. */
    public synchronized int openConnections() {
        return open;
    }

    @Override
    public void channelRegistered(ChannelHandlerContext ctx) throws Exception {
        synchronized (this) {
            listeners.add(ctx.channel());
            if (atLimit()) {
                ctx.channel().config().setAutoRead(false);
            }
        }
        super.channelRegistered(ctx);
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        Channel child = (Channel) msg;
        boolean admit;
        synchronized (this) {
            admit = !atLimit();
            if (admit) {
                open++;
                admitted++;
            } else {
                held.add(new Held(ctx, child));
            }
            updateAccepting();
        }
        if (admit) {
            admit(ctx, child);
        }
    }

    private void admit(ChannelHandlerContext ctx, Channel child) {
        child.closeFuture().addListener(f -> closed());
        ctx.fireChannelRead(child);
    }

    private void closed() {
        Held next = null;
        synchronized (this) {
            open--;
            if (single) {
                firstConnectionDone.complete(null);
            } else {
                next = admitHeld();
            }
            updateAccepting();
        }
        admitLater(next);
    }

    /** The oldest held connection, counted as admitted, if a slot is free; caller holds the lock. */
    private Held admitHeld() {
        if (held.isEmpty() || atLimit()) {
            return null;
        }
        open++;
        admitted++;
        return held.poll();
    }

    private void admitLater(Held next) {
        if (next != null) {
            next.ctx.executor().execute(() -> admit(next.ctx, next.child));
        }
    }

    private boolean atLimit() {
        return paused || (single && admitted >= 1) || (maxConnections > 0 && open >= maxConnections);
    }

    private void updateAccepting() {
        boolean accept = !atLimit() && held.isEmpty();
        for (Channel listener : listeners) {
            if (listener.config().isAutoRead() != accept) {
                listener.config().setAutoRead(accept);
            }
        }
    }

    /** Closes connections still held back (at shutdown). */
    public void closeHeld() {
        List<Held> toClose;
        synchronized (this) {
            toClose = new ArrayList<>(held);
            held.clear();
        }
        for (Held h : toClose) {
            if (h.child.isRegistered()) {
                h.child.close();
            } else {
                // Never handed to the acceptor, so not on any event loop: close()
                // would throw "channel not registered to an event loop".
                h.child.unsafe().closeForcibly();
            }
        }
    }

    private static final class Held {
        final ChannelHandlerContext ctx;
        final Channel child;

        Held(ChannelHandlerContext ctx, Channel child) {
            this.ctx = ctx;
            this.child = child;
        }
    }
}
