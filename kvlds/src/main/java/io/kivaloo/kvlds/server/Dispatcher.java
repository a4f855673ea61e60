package io.kivaloo.kvlds.server;

import io.kivaloo.kvlds.btree.BTree;
import io.kivaloo.kvlds.btree.BatchOutcome;
import io.kivaloo.kvlds.cleaner.Cleaner;
import io.kivaloo.proto.kvlds.Key;
import io.kivaloo.proto.kvlds.KvldsRequest;
import io.kivaloo.proto.kvlds.KvldsResponse;
import io.netty.channel.EventLoop;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * Runs requests against the tree (kvlds.md §6): reads (GET, RANGE) start at
 * once on the committed version; modifications queue up and run in
 * group-commit batches, each answered only after its APPEND is durable and
 * every earlier batch's was.
 *
 * <p>When a batch starts (§6.2): the tree accepts one (none in flight, or one
 * whose APPEND is at lbs: the next is prepared meanwhile, pipelined), and
 * either the commit delay (-w) has expired since the first modification
 * queued, or the queue holds -g modifications. With -w 0 the "timer" is a
 * task on the event loop, which runs after the loop has read all pending
 * input, so a batch takes everything that has arrived; modifications
 * arriving while a batch is at lbs form the next batch.
 *
 * <p>A pipelined batch (one starting while another is at lbs) starts only
 * once it holds at least as many modifications as the batch at lbs (or -g).
 * Every APPEND costs lbs a write and an fsync whatever its size, and
 * answers go out only as APPENDs are acknowledged: a client with a window of
 * requests in flight (the C bench programs keep 4,096) then saw its window
 * cut into one large batch and a trickle of small ones, each paying a whole
 * fsync. A smaller queue waits for the acknowledgement and goes in one batch
 * with everything that arrived meanwhile.
 *
 * <p>Cleaning (kvlds.md §10): every batch takes the leaves the cleaner has
 * picked, and gives back what its rewrites repaid. When the cleaner holds a
 * group and no batch has run for {@link Cleaner#IDLE_CLEANING_DELAY_NANOS},
 * {@link #tick} starts a batch with no requests just to write them.
 *
 * <p>Owner thread (the event loop) only.
 */
final class Dispatcher {

    private final BTree tree;
    private final Cleaner cleaner;
    private final Runnable afterCommit;
    private final EventLoop loop;
    private final KvldsLimits limits;
    private final KvldsMetrics metrics;
    private final long commitDelayNanos;
    private final int minForcedCommit;
    private final ArrayDeque<Queued> queue = new ArrayDeque<>();
    private final Runnable timerTask = this::timerExpired;
    private boolean timerArmed;
    private boolean timerExpired;
    /** System.nanoTime() when the last batch finished (or the dispatcher started). */
    private long lastBatchNanos = System.nanoTime();
    /** Modifications in the batch started last: what a pipelined batch must at least hold. */
    private int lastBatchSize;
    /** Set by {@link #drain}: no batch starts any more; runs once the running batch has finished. */
    private Runnable whenDrained;

    /**
     * @param afterCommit runs after every batch that committed, once its answers are out (kvlds sends FREE
     *                    there when the bound has moved far enough)
     */
    Dispatcher(BTree tree, Cleaner cleaner, EventLoop loop, KvldsLimits limits, long commitDelayNanos, int minForcedCommit,
               Runnable afterCommit, KvldsMetrics metrics) {
        this.tree = tree;
        this.metrics = metrics;
        this.cleaner = cleaner;
        this.afterCommit = afterCommit;
        this.loop = loop;
        this.limits = limits;
        this.commitDelayNanos = commitDelayNanos;
        this.minForcedCommit = minForcedCommit;
    }

    void get(Client client, long id, Key key) {
        long arrival = metrics.requested(KvldsRequest.GET);
        tree.get(key, value -> {
            client.respond(id, value == null ? KvldsResponse.Get.ABSENT : new KvldsResponse.Get(value));
            metrics.answered(KvldsRequest.GET, arrival);
        });
    }

    /** RANGE on the committed version; {@code done} gets the answer (the connection accounts for it first). */
    void range(KvldsRequest.Range request, Consumer<KvldsResponse.Range> done) {
        long arrival = metrics.requested(KvldsRequest.RANGE);
        tree.range(request, response -> {
            done.accept(response);
            metrics.answered(KvldsRequest.RANGE, arrival);
        });
    }

    void modify(Client client, long id, KvldsRequest.Modifying request) {
        queue.add(new Queued(client, id, request, metrics.requested(request.type())));
        if (!timerArmed && !timerExpired) {
            timerArmed = true;
            if (commitDelayNanos == 0) {
                loop.execute(timerTask);
            } else {
                loop.schedule(timerTask, commitDelayNanos, TimeUnit.NANOSECONDS);
            }
        }
        if (minForcedCommit > 0 && queue.size() >= minForcedCommit || timerExpired && queue.size() >= lastBatchSize) {
            // -g reached, or a pipelined batch was waiting for as many modifications as the one at lbs.
            maybeStartBatch();
        }
    }

    /** Drops {@code client}'s modifications that are not in a batch yet (kvlds.md §7); returns how many. */
    int discard(Client client) {
        int discarded = 0;
        for (Iterator<Queued> it = queue.iterator(); it.hasNext(); ) {
            if (it.next().client == client) {
                it.remove();
                discarded++;
            }
        }
        return discarded;
    }

    /**
     * Stops starting batches and runs {@code whenIdle} once none is running:
     * at once, or when the batches in flight have been answered. A stop must not
     * close lbs under a batch whose APPEND is in flight: it would fail, and
     * the daemon would end on an error for a plain SIGTERM. Queued
     * modifications are not answered; none of them was acknowledged.
     */
    void drain(Runnable whenIdle) {
        whenDrained = whenIdle;
        if (!tree.batchRunning() || tree.failed()) {
            drained();
        }
    }

    private void drained() {
        Runnable r = whenDrained;
        whenDrained = this::nothing;
        r.run();
    }

    private void nothing() {
    }

    private void timerExpired() {
        timerArmed = false;
        timerExpired = true;
        maybeStartBatch();
    }

    private void maybeStartBatch() {
        if (queue.isEmpty()) {
            // The timer expired for modifications that are gone (a dropped client's
            // were discarded): the next modification must arm it afresh, or nothing
            // would ever start its batch.
            timerExpired = false;
            return;
        }
        if (!tree.acceptsBatch() || tree.failed() || whenDrained != null) {
            return;
        }
        boolean forced = minForcedCommit > 0 && queue.size() >= minForcedCommit;
        if (!timerExpired && !forced) {
            return;
        }
        if (tree.batchRunning() && !forced && queue.size() < lastBatchSize) {
            // Too small to pay for an APPEND of its own: wait for the batch at lbs (timerExpired stays set).
            return;
        }
        timerExpired = false;
        int n = Math.min(queue.size(), limits.maxBatch(tree.committed().height()));
        lastBatchSize = n;
        List<Queued> batch = new ArrayList<>(n);
        List<KvldsRequest.Modifying> requests = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            Queued q = queue.poll();
            batch.add(q);
            requests.add(q.request);
        }
        execute(batch, requests);
    }

    /** Once a second: the cleaner's accounting, and a batch of its own when it has waited long enough for one. */
    void tick() {
        cleaner.tick();
        if (cleaner.hasReady() && !tree.batchRunning() && !tree.failed() && whenDrained == null && queue.isEmpty()
                && System.nanoTime() - lastBatchNanos >= Cleaner.IDLE_CLEANING_DELAY_NANOS) {
            execute(List.of(), List.of());
        }
    }

    private void execute(List<Queued> batch, List<KvldsRequest.Modifying> requests) {
        tree.execute(requests, cleaner.takeReady(), this::nextBatchSoon, outcome -> finished(batch, outcome));
    }

    private void finished(List<Queued> batch, BatchOutcome outcome) {
        lastBatchNanos = System.nanoTime();
        metrics.batchCommitted(outcome.pagesWritten());
        cleaner.batchDone(outcome.repaid(), outcome.pagesWritten());
        cleaner.searchIfOwed();
        int[] statuses = outcome.statuses();
        for (int i = 0; i < statuses.length; i++) {
            Queued q = batch.get(i);
            q.client.respond(q.id, KvldsResponse.Status.of(statuses[i] == KvldsResponse.STATUS_OK));
            metrics.answered(q.request.type(), q.arrivalNanos);
        }
        if (outcome.pagesWritten() > 0) {
            afterCommit.run();
        }
        if (whenDrained != null) {
            if (!tree.batchRunning()) {
                drained();
            }
        } else {
            nextBatchSoon();
        }
    }

    /** After a batch's APPEND went out or a batch finished: the next batch may start. */
    private void nextBatchSoon() {
        if (whenDrained != null) {
            return;
        }
        if (!queue.isEmpty() && !timerArmed) {
            // What piled up goes next, after the loop has read what else has arrived.
            timerArmed = true;
            if (commitDelayNanos == 0) {
                loop.execute(timerTask);
            } else {
                loop.schedule(timerTask, commitDelayNanos, TimeUnit.NANOSECONDS);
            }
        } else {
            maybeStartBatch();
        }
    }

    /** @param arrivalNanos System.nanoTime() on arrival, for the latency histogram */
    private record Queued(Client client, long id, KvldsRequest.Modifying request, long arrivalNanos) {
    }
}
