package io.kivaloo.kvlds.cache;

import io.kivaloo.kvlds.page.CorruptPageException;
import io.kivaloo.kvlds.page.Page;
import io.kivaloo.kvlds.page.PageExpectation;
import io.kivaloo.kvlds.page.PageValidator;
import io.kivaloo.kvlds.store.PageStore;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.function.LongSupplier;

/**
 * The bounded cache of clean pages, keyed by block number, evicted by CLOCK
 * ({@link PageTable}).
 *
 * <p>Block numbers are never reused, so a block's page never changes and a
 * cached page can never be stale. Eviction only drops the cache's reference:
 * an operation that already holds a page (a read descending, a batch that
 * loaded its paths, a committed root) keeps it alive through its own Java
 * reference, so nothing in use is ever "evicted under" anyone and no pin
 * counts are needed. Memory is therefore the capacity in pages plus what
 * in-flight operations hold, and in-flight operations are bounded (4096
 * requests owed, one batch).
 *
 * <p>A miss is read from the store asynchronously. Several operations missing
 * the same block share one read. Every page read is validated, on its own
 * and against what each waiting parent expects, before anyone sees it; a
 * failed read, a missing block or a corrupt page is reported to the fatal
 * handler and no waiter is called back; so is anything a waiter throws.
 *
 * <p>Owner thread only.
 */
public final class PageCache {

    private final int capacity;
    private final PageStore store;
    private final PageValidator validator;
    private final LongSupplier nextBlock;
    private final Consumer<Throwable> fatal;
    /** Null when the capacity is 0. */
    private final PageTable pages;
    private final Map<Long, List<Waiter>> fetching = new HashMap<>();
    private long reads;
    /** Lookups by {@link #get} that found the page, and that did not (for metrics). */
    private long hits;
    private long misses;

    /**
     * @param capacity  pages kept; 0 keeps none (every lookup misses), which tests use
     * @param nextBlock the log's next block, for validating child numbers
     * @param fatal     told once per failure; the daemon stops
     */
    public PageCache(int capacity, PageStore store, PageValidator validator, LongSupplier nextBlock, Consumer<Throwable> fatal) {
        this.capacity = capacity;
        this.store = store;
        this.validator = validator;
        this.nextBlock = nextBlock;
        this.fatal = fatal;
        this.pages = capacity > 0 ? new PageTable(capacity) : null;
    }

    /** The cached page, or null. Counts as a use for eviction order. */
    public Page get(long block) {
        Page page = pages == null ? null : pages.get(block);
        if (page != null) {
            hits++;
        } else {
            misses++;
        }
        return page;
    }

    /** Adds a page known to be valid (one just written, or a root read at start-up). */
    public void put(Page page) {
        if (pages != null) {
            pages.put(page);
        }
    }

    /**
     * Reads {@code block} from the store and calls {@code callback} with the
     * validated page, on the owner thread; never calls back if it fails.
     */
    public void fetch(long block, PageExpectation expected, Consumer<Page> callback) {
        List<Waiter> waiters = fetching.get(block);
        if (waiters != null) {
            waiters.add(new Waiter(expected, callback));
            return;
        }
        waiters = new ArrayList<>(2);
        waiters.add(new Waiter(expected, callback));
        fetching.put(block, waiters);
        reads++;
        store.get(block).whenComplete((bytes, failure) -> arrivedOrFail(block, bytes, failure));
    }

    /**
     * Runs the page-in's continuations; whatever they throw, an Error
     * (OutOfMemoryError while a RANGE gathers pairs, StackOverflowError) as
     * much as a bug, goes to the fatal handler: CompletableFuture would keep
     * it in a future nobody reads, leaving requests unanswered and kvlds
     * wedged without a word. The tree then stops (fail-stop), the daemon logs
     * it at ERROR and exits.
     */
    private void arrivedOrFail(long block, byte[] bytes, Throwable failure) {
        try {
            arrived(block, bytes, failure);
        } catch (Throwable t) {
            fatal.accept(t);
        }
    }

    private void arrived(long block, byte[] bytes, Throwable failure) {
        List<Waiter> waiters = fetching.remove(block);
        if (failure != null) {
            fatal.accept(new IOException("lbs GET failed block=" + Long.toUnsignedString(block) + ": " + failure.getMessage(), failure));
            return;
        }
        if (bytes == null) {
            fatal.accept(new IOException("lbs does not hold block=" + Long.toUnsignedString(block) + " which the tree needs"));
            return;
        }
        Page page;
        try {
            page = validator.parse(block, bytes, nextBlock.getAsLong());
            for (Waiter w : waiters) {
                validator.check(page, w.expected);
            }
        } catch (CorruptPageException e) {
            fatal.accept(e);
            return;
        }
        put(page);
        for (Waiter w : waiters) {
            w.callback.accept(page);
        }
    }

    /**
     * Drops the page of {@code block}, which the committed tree no longer
     * uses: a superseded page left in the cache would push live ones out, and
     * they would come back as page-ins. A reader still on an older version
     * reads it again from lbs, which keeps it until FREE passes it.
     */
    public void drop(long block) {
        if (pages != null) {
            pages.remove(block);
        }
    }

    /** Drops up to {@code count} pages (tests use it to force page-ins). */
    public void evict(int count) {
        if (pages != null) {
            pages.evict(count);
        }
    }

    public int size() {
        return pages == null ? 0 : pages.size();
    }

    public int capacity() {
        return capacity;
    }

    public long hits() {
        return hits;
    }

    public long misses() {
        return misses;
    }

    /** Blocks read from the store so far. */
    public long reads() {
        return reads;
    }

    private record Waiter(PageExpectation expected, Consumer<Page> callback) {
    }
}
