package io.kivaloo.kvlds.btree;

import io.kivaloo.kvlds.cache.PageCache;
import io.kivaloo.proto.kvlds.Key;
import io.kivaloo.proto.kvlds.KvldsRequest;
import java.util.List;
import java.util.function.Consumer;

/**
 * A batch's load phase: descends the base version for every request's key
 * and every key the cleaner picked, fetching missing pages in parallel, and
 * pins every page on those paths ({@link DirtyTree#pins}) for the rest of the
 * batch, so that the apply phase runs without waiting.
 */
final class BatchLoad {

    private final DirtyTree dirty;
    private final PageCache cache;
    private final Consumer<Throwable> fatal;
    private final Runnable done;
    /** Descents not finished, plus one until every descent has started. */
    private int loading = 1;
    /** Range of the last leaf a descent reached without a page-in, or null. */
    private KeyRange last;

    private BatchLoad(DirtyTree dirty, PageCache cache, Consumer<Throwable> fatal, Runnable done) {
        this.dirty = dirty;
        this.cache = cache;
        this.fatal = fatal;
        this.done = done;
    }

    /** Pins the paths to the keys of {@code requests} and {@code cleaning}; then runs {@code done}. */
    static void load(DirtyTree dirty, PageCache cache, Consumer<Throwable> fatal, List<KvldsRequest.Modifying> requests,
                     List<Key> cleaning, Runnable done) {
        BatchLoad load = new BatchLoad(dirty, cache, fatal, done);
        for (KvldsRequest.Modifying r : requests) {
            load.path(r.key());
        }
        for (Key k : cleaning) {
            load.path(k);
        }
        load.loaded();
    }

    /** Pins the path to {@code key}'s leaf, unless the last leaf found (and pinned) already holds it. */
    private void path(Key key) {
        if (last != null && last.contains(key)) {
            return;
        }
        last = null;
        loading++;
        Descent.find(cache, fatal, dirty.base.root(), key, dirty.pins, (leaf, d) -> {
            // Only a descent that finished without a page-in runs this before the next path().
            last = new KeyRange(d.low(), d.high());
            loaded();
        });
    }

    private void loaded() {
        if (--loading == 0) {
            done.run();
        }
    }
}
