package io.kivaloo.kvlds.store;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;

/**
 * An in-memory lbs for tests. Answers are held back until {@link #deliver}
 * runs them, in a seeded random order, on the calling (owner) thread, so a
 * test controls every interleaving of page-ins and commits. An APPEND
 * becomes durable only when its answer is delivered; {@link #crash} loses
 * the undelivered ones, optionally keeping a prefix of one (a torn APPEND).
 */
public final class MemoryPageStore implements PageStore {

    private final int blockSize;
    private final TreeMap<Long, byte[]> blocks = new TreeMap<>();
    private final List<Runnable> pending = new ArrayList<>();
    private final List<PendingAppend> appends = new ArrayList<>();
    private long nextBlock;
    private long freedBelow;
    private int gets;

    public MemoryPageStore(int blockSize) {
        this.blockSize = blockSize;
    }

    @Override
    public int blockSize() {
        return blockSize;
    }

    public long nextBlock() {
        return nextBlock;
    }

    /** PARAMS2's last block: nextBlock - 1, or 2^64-1 when empty. */
    public long lastBlock() {
        return nextBlock - 1;
    }

    public long freedBelow() {
        return freedBelow;
    }

    public int storedBlocks() {
        return blocks.size();
    }

    public int gets() {
        return gets;
    }

    /** Overwrites a stored block (corruption tests). */
    public void corrupt(long block, byte[] bytes) {
        blocks.put(block, bytes.clone());
    }

    public byte[] block(long block) {
        byte[] b = blocks.get(block);
        return b == null ? null : b.clone();
    }

    @Override
    public CompletableFuture<byte[]> get(long block) {
        gets++;
        CompletableFuture<byte[]> f = new CompletableFuture<>();
        pending.add(() -> {
            byte[] b = blocks.get(block);
            f.complete(b == null ? null : b.clone());
        });
        return f;
    }

    @Override
    public CompletableFuture<Long> append(long block, byte[][] data) {
        CompletableFuture<Long> f = new CompletableFuture<>();
        int count = data.length;
        if (block != nextBlock || Arrays.stream(data).anyMatch(b -> b.length != blockSize)) {
            f.completeExceptionally(new IllegalStateException("APPEND at " + block + " count " + count + ", next block is " + nextBlock));
            return f;
        }
        nextBlock += count;
        byte[][] copies = new byte[count][];
        for (int i = 0; i < count; i++) {
            copies[i] = data[i].clone();
        }
        PendingAppend a = new PendingAppend(block, count, copies, f);
        appends.add(a);
        pending.add(() -> {
            appends.remove(a);
            a.store(count);
            f.complete(block + count);
        });
        return f;
    }

    @Override
    public CompletableFuture<Void> free(long block) {
        if (Long.compareUnsigned(block, freedBelow) > 0) {
            freedBelow = block;
            blocks.headMap(block).clear();
        }
        return CompletableFuture.completedFuture(null);
    }

    /** True while answers are waiting. */
    public boolean hasPending() {
        return !pending.isEmpty();
    }

    /** Delivers every waiting answer (and those they cause), in a random order. */
    public void deliver(Random random) {
        while (!pending.isEmpty()) {
            pending.remove(random.nextInt(pending.size())).run();
        }
    }

    /** Delivers one waiting answer. */
    public void deliverOne(Random random) {
        if (!pending.isEmpty()) {
            pending.remove(random.nextInt(pending.size())).run();
        }
    }

    /**
     * The process above dies: undelivered answers are dropped; of each
     * undelivered APPEND, the first {@code keep(count)} blocks survive.
     */
    public void crash(java.util.function.IntUnaryOperator keep) {
        pending.clear();
        for (PendingAppend a : appends) {
            a.store(keep.applyAsInt(a.count));
        }
        appends.clear();
        // What lbs reports after restarting: one past the last block it kept.
        nextBlock = blocks.isEmpty() ? nextBlock : blocks.lastKey() + 1;
    }

    private final class PendingAppend {
        final long block;
        final int count;
        final byte[][] data;
        final CompletableFuture<Long> future;

        PendingAppend(long block, int count, byte[][] data, CompletableFuture<Long> future) {
            this.block = block;
            this.count = count;
            this.data = data;
            this.future = future;
        }

        void store(int n) {
            for (int i = 0; i < n; i++) {
                blocks.put(block + i, data[i]);
            }
        }
    }
}
