package io.kivaloo.proto.lbs.server;

import io.kivaloo.proto.lbs.store.DamagedBlockException;

import java.util.concurrent.CompletableFuture;
import java.util.function.BooleanSupplier;

/**
 * The storage behind an LBS server: what {@link LbsConnectionHandler} needs
 * from a block store, whatever holds the blocks (lbs's files, lbs-s3's
 * objects). Requests reach it already checked against the protocol's rules
 * (lbs.md §2): an APPEND starts at {@link #nextBlock()}, has the configured
 * block length and does not run past 2^64-1, and at most one is in flight.
 *
 * <p>Implementations do their I/O on threads of their own; every method here
 * returns at once. Futures may complete on any thread.
 */
public interface LbsBackend {

    /** What a {@link #read} future holds when the connection died before the read started. */
    byte[] DROPPED = new byte[0];

    /** Bytes per block, fixed for the store's life. */
    int blockSize();

    /**
     * The block the next APPEND must start at; moves only once an APPEND is
     * durable. Called on the event loop, so it must not block.
     */
    long nextBlock();

    /**
     * Reads one block: its bytes, {@code null} if absent (below the oldest
     * block, at or past {@link #nextBlock()}, or freed meanwhile), or
     * {@link #DROPPED} if {@code wanted} says nobody waits any more. Fails
     * with {@link DamagedBlockException} for a block that is stored but not
     * intact, with any other exception for an I/O failure.
     */
    CompletableFuture<byte[]> read(long block, BooleanSupplier wanted);

    /**
     * Stores {@code count} blocks from {@code firstBlock}; completes with the
     * new next block once they are durable, or fails, in which case nothing
     * is acknowledged and the backend has stopped (fail-stop).
     */
    CompletableFuture<Long> append(long firstBlock, byte[] data, int count);

    /** Advisory: blocks below {@code below} may be deleted, in the background. */
    void free(long below);
}
