package io.kivaloo.kvlds.btree;

import static org.assertj.core.api.Assertions.assertThat;

import io.kivaloo.kvlds.server.KvldsScenarioAccess;
import io.kivaloo.proto.kvlds.Key;
import io.kivaloo.proto.kvlds.KvldsRequest;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * An Error thrown in a page-in's continuation (an OutOfMemoryError while a
 * RANGE gathers its pairs, a StackOverflowError in a callback) must reach
 * the fatal handler, so that kvlds logs it and stops: CompletableFuture
 * would otherwise keep it in a future nobody reads, and the request would
 * never be answered (issue 19, item 2).
 */
class PageInErrorTest {

    private static final long SEED = 19;

    @Test
    void outOfMemoryInARangeContinuationFailsTheTree() {
        TreeHarness h = treeWithColdCache();
        OutOfMemoryError oom = new OutOfMemoryError("test: Java heap space");
        h.tree.range(new KvldsRequest.Range(0xffffffffL, Key.EMPTY, Key.EMPTY), r -> {
            throw oom;
        });
        h.store.deliver(h.random);
        assertThat(h.failures).containsExactly(oom);
        assertThat(h.tree.failed()).isTrue();
    }

    @Test
    void stackOverflowInAGetContinuationFailsTheTree() {
        TreeHarness h = treeWithColdCache();
        StackOverflowError overflow = new StackOverflowError("test");
        h.tree.get(KvldsScenarioAccess.be64(7), v -> {
            throw overflow;
        });
        h.store.deliver(h.random);
        assertThat(h.failures).containsExactly(overflow);
        assertThat(h.tree.failed()).isTrue();
    }

    /** A tree of a few hundred pairs with nothing cached, so every read pages in. */
    private static TreeHarness treeWithColdCache() {
        TreeHarness h = new TreeHarness(512, 1024, new Random(SEED));
        List<KvldsRequest.Modifying> sets = new ArrayList<>();
        for (int i = 0; i < 300; i++) {
            sets.add(new KvldsRequest.Set(KvldsScenarioAccess.be64(i), Key.of("value " + i)));
        }
        h.batch(sets);
        h.tree.cache().evict(h.tree.cache().size());
        assertThat(h.tree.cache().size()).isZero();
        return h;
    }
}
