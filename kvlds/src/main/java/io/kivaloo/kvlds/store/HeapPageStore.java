package io.kivaloo.kvlds.store;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;

/**
 * A private, in-memory {@link PageStore} for the start-up warm-up
 * (DESIGN.md "Warm-up"): blocks live in this object and die with it; no byte
 * reaches lbs. Answers are not given inside the call but run later through
 * {@code answers} (the warm-up's event loop), as lbs's arrive on the loop
 * after the request went out, so the tree takes the same paths it takes
 * over lbs. FREE drops the blocks below its bound, so a long warm-up holds
 * only the live tree plus what the cleaner has not reclaimed yet.
 */
public final class HeapPageStore implements PageStore {

    private final int blockSize;
    private final Executor answers;
    /** Block n at index n - {@link #firstHeld}; null where freed below the bound. */
    private final List<byte[]> blocks = new ArrayList<>();
    private long firstHeld;
    private long nextBlock;
    private long appends;

    public HeapPageStore(int blockSize, Executor answers) {
        this.blockSize = blockSize;
        this.answers = answers;
    }

    @Override
    public int blockSize() {
        return blockSize;
    }

    /** APPENDs taken so far. */
    public long appends() {
        return appends;
    }

    /** Blocks held: the pages not freed yet. */
    public int heldBlocks() {
        return blocks.size();
    }

    @Override
    public CompletableFuture<byte[]> get(long block) {
        CompletableFuture<byte[]> f = new CompletableFuture<>();
        answers.execute(() -> f.complete(block >= firstHeld && block < nextBlock ? blocks.get((int) (block - firstHeld)) : null));
        return f;
    }

    @Override
    public CompletableFuture<Long> append(long block, byte[][] pages) {
        CompletableFuture<Long> f = new CompletableFuture<>();
        if (block != nextBlock) {
            f.completeExceptionally(new IllegalStateException("APPEND at " + block + ", next block is " + nextBlock));
            return f;
        }
        for (byte[] page : pages) {
            if (page.length != blockSize) {
                f.completeExceptionally(new IllegalStateException("APPEND of a " + page.length + "-byte page, block size is " + blockSize));
                return f;
            }
        }
        // The tree never modifies a page it has handed over (PageStore#append), so the arrays are kept, not copied.
        blocks.addAll(Arrays.asList(pages));
        nextBlock += pages.length;
        appends++;
        long next = nextBlock;
        answers.execute(() -> f.complete(next));
        return f;
    }

    @Override
    public CompletableFuture<Void> free(long block) {
        long bound = Math.min(block, nextBlock);
        if (bound > firstHeld) {
            blocks.subList(0, (int) (bound - firstHeld)).clear();
            firstHeld = bound;
        }
        return CompletableFuture.completedFuture(null);
    }
}
