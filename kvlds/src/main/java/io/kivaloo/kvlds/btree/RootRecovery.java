package io.kivaloo.kvlds.btree;

import io.kivaloo.kvlds.page.CorruptPageException;
import io.kivaloo.kvlds.page.Page;
import io.kivaloo.kvlds.page.PageValidator;
import io.kivaloo.kvlds.page.PageWriter;
import io.kivaloo.kvlds.store.PageStore;
import java.io.IOException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Finds the committed tree at start-up without scanning the store
 * (kvlds.md §8). Every batch's APPEND ends with its root page and lbs keeps
 * only whole blocks, so the newest valid root page is the last batch that
 * reached disk completely: read blocks from the last one backwards, skip
 * absent blocks and non-root pages (the rest of an APPEND cut short), stop
 * at the first root. A block that is not a valid page is fatal. An empty
 * store gets an empty root leaf at block 0.
 */
public final class RootRecovery {

    private static final Logger log = LoggerFactory.getLogger(RootRecovery.class);

    /** The tree found: its root and the log's next block. */
    public record Recovered(Page root, long nextBlock, boolean created) {
    }

    private final PageStore store;
    private final PageValidator validator;
    private final long nextBlock;
    private final CompletableFuture<Recovered> result = new CompletableFuture<>();
    private long candidate;

    private RootRecovery(PageStore store, long nextBlock, long lastBlock) {
        this.store = store;
        this.validator = new PageValidator(store.blockSize());
        this.nextBlock = nextBlock;
        this.candidate = lastBlock;
    }

    /**
     * @param nextBlock and lastBlock as lbs PARAMS2 reports them (lastBlock
     *                  2^64-1 for an empty store)
     */
    public static CompletableFuture<Recovered> recover(PageStore store, long nextBlock, long lastBlock) {
        RootRecovery r = new RootRecovery(store, nextBlock, lastBlock);
        if (lastBlock == -1L) {
            r.notFound();
        } else {
            r.scan();
        }
        return r.result;
    }

    /** Reads candidates downwards; loops while answers are already there, so a long scan cannot grow the stack. */
    private void scan() {
        while (true) {
            long block = candidate;
            CompletableFuture<byte[]> read = store.get(block);
            if (!read.isDone()) {
                read.whenComplete((bytes, failure) -> {
                    if (examine(block, bytes, failure)) {
                        scan();
                    }
                });
                return;
            }
            byte[] bytes;
            try {
                bytes = read.join();
            } catch (CompletionException e) {
                examine(block, null, e.getCause());
                return;
            }
            if (!examine(block, bytes, null)) {
                return;
            }
        }
    }

    /** Returns true if the scan goes on to the block below. */
    private boolean examine(long block, byte[] bytes, Throwable failure) {
        if (failure != null) {
            result.completeExceptionally(new IOException("lbs GET failed block=" + Long.toUnsignedString(block) + ": "
                    + failure.getMessage(), failure));
            return false;
        }
        if (bytes != null) {
            Page page;
            try {
                page = validator.parse(block, bytes, nextBlock);
            } catch (CorruptPageException e) {
                result.completeExceptionally(e);
                return false;
            }
            if (page.isRoot()) {
                log.info("found root block={} height={} nnodes={}", Long.toUnsignedString(block), page.height(), page.nnodes());
                result.complete(new Recovered(page, nextBlock, false));
                return false;
            }
        }
        if (block == 0) {
            notFound();
            return false;
        }
        candidate = block - 1;
        return true;
    }

    private void notFound() {
        if (nextBlock != 0) {
            result.completeExceptionally(new IOException("Could not find root B+Tree node"));
            return;
        }
        byte[] empty = PageWriter.emptyRoot(store.blockSize());
        store.append(0, new byte[][] {empty}).whenComplete((next, failure) -> {
            if (failure != null) {
                result.completeExceptionally(new IOException("lbs APPEND of the empty root failed: " + failure.getMessage(), failure));
                return;
            }
            if (next != 1) {
                log.warn("the first APPEND returned next block {} (expected 1): the store is sparse", Long.toUnsignedString(next));
            }
            try {
                result.complete(new Recovered(validator.parse(0, empty, next), next, true));
            } catch (CorruptPageException e) {
                result.completeExceptionally(e);
            }
        });
    }
}
