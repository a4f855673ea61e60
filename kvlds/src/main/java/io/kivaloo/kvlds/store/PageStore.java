package io.kivaloo.kvlds.store;

import java.util.concurrent.CompletableFuture;

/**
 * The block store under the tree: lbs, or a fake in tests. Every future must
 * complete on the tree's owner thread (for lbs: the event loop its connection
 * is registered on), because callbacks touch the tree without locks. A future
 * that fails means the store is unusable: the tree treats it as fatal.
 */
public interface PageStore {

    /** Bytes per block: one page. */
    int blockSize();

    /** The block, or null if the store does not hold it. */
    CompletableFuture<byte[]> get(long block);

    /**
     * Appends {@code blocks} (one page each, none modified afterwards) at
     * {@code block}; completes with the store's next block once they are
     * durable. A refusal is a failed future.
     */
    CompletableFuture<Long> append(long block, byte[][] blocks);

    /** Blocks below {@code block} are garbage and may be deleted. */
    CompletableFuture<Void> free(long block);
}
