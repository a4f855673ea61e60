package io.kivaloo.lbs.server;

import io.kivaloo.lbs.storage.BlockStore;
import io.netty.util.concurrent.DefaultThreadFactory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;

/**
 * The threads that touch the disk, so that the event loop never does:
 * {@code n} readers for GET (a FIFO in front of them), one writer for APPEND,
 * one deleter for FREE (lbs.md §4). Results come back as futures; the
 * connection hands them to its event loop.
 */
final class StorageWorkers implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(StorageWorkers.class);

    /** What a GET's future holds when the connection died before a reader picked it up. */
    static final byte[] DROPPED = new byte[0];

    private final BlockStore store;
    private final long readLatencyNanos;
    private final ThreadPoolExecutor readers;
    private final ExecutorService writer;
    private final ExecutorService deleter;
    private final Consumer<Throwable> fatal;
    /** Highest FREE argument seen (unsigned); the deleter works towards it. */
    private final AtomicLong freeTarget = new AtomicLong(0);
    private final AtomicBoolean deletionQueued = new AtomicBoolean();

    /** @param fatal told of an I/O error that stopped the store (fail-stop) */
    StorageWorkers(BlockStore store, int readerThreads, long readLatencyNanos, Consumer<Throwable> fatal) {
        this.store = store;
        this.readLatencyNanos = readLatencyNanos;
        this.fatal = fatal;
        this.readers = new ThreadPoolExecutor(readerThreads, readerThreads, 0, TimeUnit.SECONDS,
                new LinkedBlockingQueue<>(), new DefaultThreadFactory("lbs-reader", true));
        this.writer = new ThreadPoolExecutor(1, 1, 0, TimeUnit.SECONDS, new LinkedBlockingQueue<>(),
                new DefaultThreadFactory("lbs-writer", true));
        this.deleter = new ThreadPoolExecutor(1, 1, 0, TimeUnit.SECONDS, new LinkedBlockingQueue<>(),
                new DefaultThreadFactory("lbs-deleter", true));
    }

    BlockStore store() {
        return store;
    }

    /**
     * Reads a block on a reader thread: its bytes, null if absent, or
     * {@link #DROPPED} if {@code wanted} says nobody waits for it any more.
     */
    CompletableFuture<byte[]> read(long block, BooleanSupplier wanted) {
        CompletableFuture<byte[]> result = new CompletableFuture<>();
        submit(readers, result, () -> {
            if (!wanted.getAsBoolean()) {
                result.complete(DROPPED);
                return;
            }
            try {
                result.complete(store.read(block));
            } catch (IOException | RuntimeException e) {
                result.completeExceptionally(e);
            }
            pauseAfterRead();
        });
        return result;
    }

    /** Appends on the writer thread; completes with the new next block once durable. */
    CompletableFuture<Long> append(long firstBlock, byte[] data, int count) {
        CompletableFuture<Long> result = new CompletableFuture<>();
        submit(writer, result, () -> {
            try {
                result.complete(store.append(firstBlock, data, count));
            } catch (IOException | RuntimeException e) {
                result.completeExceptionally(e);
                fatal.accept(e);
            }
        });
        return result;
    }

    /**
     * Asks the deleter to release files below {@code below}. Unlike the
     * original, a FREE that arrives during a deletion is not lost: the
     * deleter runs again towards the highest argument seen.
     */
    void free(long below) {
        freeTarget.accumulateAndGet(below, (a, b) -> Long.compareUnsigned(a, b) >= 0 ? a : b);
        if (!deletionQueued.compareAndSet(false, true)) {
            return;
        }
        try {
            deleter.execute(() -> {
                deletionQueued.set(false);
                try {
                    store.free(freeTarget.get());
                } catch (IOException | RuntimeException e) {
                    fatal.accept(e);
                }
            });
        } catch (RejectedExecutionException shuttingDown) {
            log.debug("FREE after shutdown ignored");
        }
    }

    private static <T> void submit(ExecutorService executor, CompletableFuture<T> result, Runnable task) {
        try {
            executor.execute(task);
        } catch (RejectedExecutionException e) {
            result.completeExceptionally(new IOException("lbs is shutting down", e));
        }
    }

    /** The {@code -l} test aid: holds the reader thread busy after each read. */
    private void pauseAfterRead() {
        if (readLatencyNanos <= 0) {
            return;
        }
        long deadline = System.nanoTime() + readLatencyNanos;
        for (long left = readLatencyNanos; left > 0; left = deadline - System.nanoTime()) {
            LockSupport.parkNanos(left);
        }
    }

    /**
     * Stops taking work: queued reads are dropped, the APPEND being written
     * and a deletion under way finish (so what was acknowledged stays true).
     */
    @Override
    public void close() {
        // Not shutdownNow: interrupting a thread inside FileChannel.read closes the channel for everyone.
        readers.getQueue().clear();
        readers.shutdown();
        writer.shutdown();
        deleter.shutdown();
        awaitQuietly(writer);
        awaitQuietly(deleter);
        awaitQuietly(readers);
    }

    private static void awaitQuietly(ExecutorService executor) {
        try {
            if (!executor.awaitTermination(1, TimeUnit.MINUTES)) {
                log.warn("storage worker did not stop within a minute");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
