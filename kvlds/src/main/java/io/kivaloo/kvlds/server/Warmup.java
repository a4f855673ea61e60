package io.kivaloo.kvlds.server;

import io.kivaloo.kvlds.btree.BTree;
import io.kivaloo.kvlds.btree.RootRecovery;
import io.kivaloo.kvlds.cleaner.Cleaner;
import io.kivaloo.kvlds.cleaner.CleaningPolicy;
import io.kivaloo.kvlds.store.HeapPageStore;
import io.kivaloo.proto.kvlds.Key;
import io.kivaloo.proto.kvlds.KvldsCodec;
import io.kivaloo.proto.kvlds.KvldsRequest;
import io.kivaloo.proto.metrics.DaemonMetrics;
import io.kivaloo.proto.wire.FrameEncoder;
import io.kivaloo.proto.wire.Packet;
import io.netty.buffer.ByteBuf;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.util.ReferenceCountUtil;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;

/**
 * Runs kvlds's hot paths before the daemon reports ready (DESIGN.md
 * "Warm-up"), so that a short run such as tokyo does not pay for the JIT
 * compiling them: rounds of {@value #WINDOW} pipelined requests, framed as a
 * client frames them, go through the same handlers a client connection has
 * (frame decoder, {@link KvldsConnection}, {@link Dispatcher}, group-commit
 * batches, the cleaner) into a tree of its own over a {@link HeapPageStore},
 * on an {@link EmbeddedChannel} driven by the calling thread. Nothing is
 * shared with the daemon: not lbs, not its tree or cache, not its metrics
 * (a private, unserved registry). Everything is garbage afterwards.
 *
 * <p>The rounds cycle through what the benchmarks do: ordered SETs of new
 * keys (tokyo, bulk_insert), GETs of random keys and a RANGE (random_read,
 * bulk_extract), random updates with a few DELETEs and the conditional
 * modifications (bulk_update, random_mixed). The warm-up stops after
 * {@code maxRequests} requests or once {@code maxNanos} have passed,
 * whichever comes first, checked between rounds: a slow machine delays
 * start-up by the time bound plus one round, not by the whole work.
 *
 * <p>Off unless {@code --warmup} is given: measured, it made tokyo slower,
 * not faster, because the daemon's own channel and page-store classes do
 * not match what it compiled (DESIGN.md "Warm-up").
 */
final class Warmup {

    /** Requests per round: the C bench programs keep this many in flight. */
    static final int WINDOW = 4096;
    /** The default work bound: about a quarter of tokyo's SETs. */
    static final long DEFAULT_MAX_REQUESTS = 1L << 18;
    /** The default time bound. */
    static final long DEFAULT_MAX_NANOS = 1_500_000_000L;
    /** Tokyo's keys: eight decimal digits (fewer if -k is shorter). */
    private static final int KEY_DIGITS = 8;
    /** Updates write values of this length (less if -v is shorter). */
    private static final int VALUE_LENGTH = 40;
    /** A socket read hands the frame decoder at most this much; frames straddle the pieces. */
    private static final int READ_PIECE = 16 * 1024;

    /** What a warm-up did; {@code stoppedByTime} when the time bound ended it before the work bound. */
    record Report(long requests, long rounds, long batches, long pagesWritten, boolean stoppedByTime, long nanos) {
    }

    private final KvldsLimits limits;
    private final EmbeddedChannel channel;
    private final KvldsConnection connection;
    private final BTree tree;
    private final HeapPageStore store;
    private final Cleaner cleaner;
    private final Dispatcher dispatcher;
    private final FrameEncoder encoder = new FrameEncoder();
    private final SplittableRandom random = new SplittableRandom(17);
    private final CompletableFuture<Void> failed = new CompletableFuture<>();
    private final int keyLength;
    private final Key value;
    private long nextId;
    /** Keys 0 .. inserted-1 have been SET. */
    private long inserted;

    private Warmup(KvldsLimits limits, CleaningPolicy cleaning) {
        this.limits = limits;
        // The channel's event loop is the tree's owner: the store answers through it, the dispatcher queues its batches on it.
        this.channel = new EmbeddedChannel();
        this.store = new HeapPageStore(limits.blockSize(), channel.eventLoop());
        CompletableFuture<RootRecovery.Recovered> root = RootRecovery.recover(store, 0, -1L);
        channel.runPendingTasks();
        RootRecovery.Recovered recovered = root.join();
        this.tree = new BTree(store, recovered.root(), recovered.nextBlock(), limits.cachePages(), failed::completeExceptionally);
        this.cleaner = new Cleaner(tree, cleaning, true);
        KvldsMetrics metrics = new KvldsMetrics(DaemonMetrics.unserved("kvlds"));
        this.dispatcher = new Dispatcher(tree, cleaner, channel.eventLoop(), limits, 0, 0, this::free, metrics);
        this.connection = new KvldsConnection(dispatcher, limits);
        this.keyLength = Math.min(KEY_DIGITS, limits.maxKeyLength());
        this.value = Key.wrap(new byte[Math.min(VALUE_LENGTH, limits.maxValueLength())]);
        connection.install(channel.pipeline());
        // The channel became active before the handlers existed (they need its loop); tell them now, as accepting does.
        channel.pipeline().fireChannelActive();
    }

    /**
     * Warms up with the daemon's limits (block size, key and value lengths,
     * cache and batch sizes) and cleaning policy; throws if the private tree
     * failed, which is a bug in kvlds, not a problem of the store.
     */
    static Report run(KvldsLimits limits, CleaningPolicy cleaning, long maxRequests, long maxNanos) {
        long start = System.nanoTime();
        Warmup w = new Warmup(limits, cleaning);
        try {
            long rounds = 0;
            boolean byTime = false;
            while (w.nextId < maxRequests) {
                w.round(rounds++, (int) Math.min(WINDOW, maxRequests - w.nextId));
                if (System.nanoTime() - start >= maxNanos && w.nextId < maxRequests) {
                    byTime = true;
                    break;
                }
            }
            return new Report(w.nextId, rounds, w.tree.batchesCommitted(), w.tree.pagesWritten(), byTime, System.nanoTime() - start);
        } finally {
            w.channel.finishAndReleaseAll();
        }
    }

    /** One window of requests, run until every one is answered. */
    private void round(long round, int n) {
        ByteBuf requests = channel.alloc().directBuffer(n * 64);
        try {
            switch ((int) (round % 4)) {
                case 0, 1 -> insert(requests, n);
                case 2 -> read(requests, n);
                default -> update(requests, n);
            }
            // One turn of the loop, as a socket's read loop delivers several reads before the loop runs its tasks.
            List<ByteBuf> reads = new ArrayList<>();
            while (requests.isReadable()) {
                reads.add(requests.readRetainedSlice(Math.min(READ_PIECE, requests.readableBytes())));
            }
            channel.writeInbound(reads.toArray());
        } finally {
            requests.release();
        }
        // Runs the loop's tasks, and those they queue, until none is left: the store's answers, batches, flushes.
        channel.runPendingTasks();
        failed.getNow(null);
        if (connection.owed() != 0) {
            throw new IllegalStateException("warm-up round " + round + " ended with " + connection.owed() + " requests unanswered");
        }
        for (Object answer = channel.readOutbound(); answer != null; answer = channel.readOutbound()) {
            ReferenceCountUtil.release(answer);
        }
        // What the daemon does once a second: the cleaner's accounting, then FREE.
        dispatcher.tick();
        free();
    }

    private void free() {
        store.free(tree.freeBound());
    }

    private void insert(ByteBuf out, int n) {
        if (inserted == 0) {
            send(out, new KvldsRequest.Params());
            n--;
        }
        for (int i = 0; i < n; i++) {
            Key key = key(inserted++);
            send(out, new KvldsRequest.Set(key, key.length() <= limits.maxValueLength() ? key : value));
        }
    }

    private void read(ByteBuf out, int n) {
        send(out, new KvldsRequest.Range(KvldsCodec.MAX_RANGE_PAIR_BYTES, key(randomKey()), Key.EMPTY));
        for (int i = 1; i < n; i++) {
            send(out, new KvldsRequest.Get(key(randomKey())));
        }
    }

    private void update(ByteBuf out, int n) {
        for (int i = 0; i < n; i++) {
            Key key = key(randomKey());
            switch (i % 64) {
                case 0 -> send(out, new KvldsRequest.Delete(key));
                case 1 -> send(out, new KvldsRequest.Add(key, value));
                case 2 -> send(out, new KvldsRequest.Modify(key, value));
                case 3 -> send(out, new KvldsRequest.Cas(key, key, value));
                case 4 -> send(out, new KvldsRequest.Cad(key, value));
                default -> send(out, new KvldsRequest.Set(key, value));
            }
        }
    }

    private long randomKey() {
        return random.nextLong(Math.max(1, inserted));
    }

    private void send(ByteBuf out, KvldsRequest request) {
        encoder.encode(new Packet(nextId++, KvldsCodec.encodeRequest(request)), out);
    }

    /** The last {@link #keyLength} decimal digits of {@code i}, zero-padded. */
    private Key key(long i) {
        byte[] digits = new byte[keyLength];
        for (int k = keyLength - 1; k >= 0; k--, i /= 10) {
            digits[k] = (byte) ('0' + i % 10);
        }
        return Key.wrap(digits);
    }
}
