package io.kivaloo.proto.lbs.server;

import io.kivaloo.proto.lbs.store.BlockStorage;
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
 * The threads that touch a block store's storage, so that the event loop
 * never does (lbs.md §4): {@code n} readers for GET (a FIFO in front of
 * them), one writer for APPEND, one deleter for FREE. Results come back as
 * futures; the connection hands them to its event loop. This is the
 * {@link LbsBackend} of every block store: each is a blocking
 * {@link BlockStorage} (lbs: files, lbs-s3: objects).
 */
public final class StorageWorkers implements LbsBackend, AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(StorageWorkers.class);

    private final BlockStorage storage;
    private final long readPauseNanos;
    private final ThreadPoolExecutor readers;
    private final ExecutorService writer;
    private final ExecutorService deleter;
    private final Consumer<Throwable> fatal;
    /** Highest FREE argument seen (unsigned); the deleter works towards it. */
    private final AtomicLong freeTarget = new AtomicLong(0);
    private final AtomicBoolean deletionQueued = new AtomicBoolean();

    /**
     * @param threadPrefix   thread names: {@code <prefix>-reader-*}, {@code -writer-*}, {@code -deleter-*} (Netty adds pool and thread numbers)
     * @param readPauseNanos hold a reader this long after each read (lbs's -l test aid; 0: none)
     * @param fatal          told of a failure that stopped the store (fail-stop)
     */
    public StorageWorkers(String threadPrefix, BlockStorage storage, int readerThreads, long readPauseNanos,
                          Consumer<Throwable> fatal) {
        this.storage = storage;
        this.readPauseNanos = readPauseNanos;
        this.fatal = fatal;
        this.readers = new ThreadPoolExecutor(readerThreads, readerThreads, 0, TimeUnit.SECONDS,
                new LinkedBlockingQueue<>(), new DefaultThreadFactory(threadPrefix + "-reader", true));
        this.writer = new ThreadPoolExecutor(1, 1, 0, TimeUnit.SECONDS, new LinkedBlockingQueue<>(),
                new DefaultThreadFactory(threadPrefix + "-writer", true));
        this.deleter = new ThreadPoolExecutor(1, 1, 0, TimeUnit.SECONDS, new LinkedBlockingQueue<>(),
                new DefaultThreadFactory(threadPrefix + "-deleter", true));
    }

    @Override
    public int blockSize() {
        return storage.blockSize();
    }

    @Override
    public long nextBlock() {
        return storage.nextBlock();
    }

    /** Reads a block on a reader thread (see {@link LbsBackend#read}). */
    @Override
    public CompletableFuture<byte[]> read(long block, BooleanSupplier wanted) {
        CompletableFuture<byte[]> result = new CompletableFuture<>();
        submit(readers, result, () -> {
            if (!wanted.getAsBoolean()) {
                result.complete(DROPPED);
                return;
            }
            try {
                result.complete(storage.read(block));
            } catch (IOException | RuntimeException e) {
                result.completeExceptionally(e);
            } catch (Error e) {
                // A GET that never completes would keep its connection from draining; and after an
                // Error (stack overflow, linkage) nobody knows the worker's state: fail the GET, stop.
                result.completeExceptionally(e);
                fatal.accept(e);
            }
            pauseAfterRead();
        });
        return result;
    }

    /** Appends on the writer thread; completes with the new next block once durable. */
    @Override
    public CompletableFuture<Long> append(long firstBlock, byte[] data, int count) {
        CompletableFuture<Long> result = new CompletableFuture<>();
        submit(writer, result, () -> {
            try {
                result.complete(storage.append(firstBlock, data, count));
            } catch (IOException | RuntimeException | Error e) {
                result.completeExceptionally(e);
                fatal.accept(e);
            }
        });
        return result;
    }

    /**
     * Asks the deleter to release storage below {@code below}. Unlike the
     * original, a FREE that arrives during a deletion is not lost: the
     * deleter runs again towards the highest argument seen.
     */
    @Override
    public void free(long below) {
        freeTarget.accumulateAndGet(below, (a, b) -> Long.compareUnsigned(a, b) >= 0 ? a : b);
        if (!deletionQueued.compareAndSet(false, true)) {
            return;
        }
        try {
            deleter.execute(() -> {
                deletionQueued.set(false);
                try {
                    storage.free(freeTarget.get());
                } catch (IOException | RuntimeException | Error e) {
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
            result.completeExceptionally(new IOException("the block store is shutting down", e));
        }
    }

    /** The {@code -l} test aid: holds the reader thread busy after each read. */
    private void pauseAfterRead() {
        if (readPauseNanos <= 0) {
            return;
        }
        long deadline = System.nanoTime() + readPauseNanos;
        for (long left = readPauseNanos; left > 0; left = deadline - System.nanoTime()) {
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
            if (!executor.awaitTermination(5, TimeUnit.MINUTES)) {
                log.warn("storage worker did not stop within 5 minutes");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
