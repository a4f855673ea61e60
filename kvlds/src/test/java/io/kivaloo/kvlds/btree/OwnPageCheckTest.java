package io.kivaloo.kvlds.btree;

import static org.assertj.core.api.Assertions.assertThat;

import io.kivaloo.kvlds.page.PageValidator;
import io.kivaloo.kvlds.store.MemoryPageStore;
import io.kivaloo.proto.kvlds.Key;
import io.kivaloo.proto.kvlds.KvldsRequest;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * kvlds checks the pages a batch writes before the APPEND, not after: a bad
 * page made durable as the newest root would stop every restart at it
 * (issue 17, lever 2). Here every page kvlds writes fails the checks (they
 * expect another block size), so nothing may reach the store.
 */
class OwnPageCheckTest {

    private static final int BLOCK_SIZE = 512;

    @Test
    void aBatchWhosePagesFailTheChecksSendsNothingToLbsAndFailsTheTree() {
        MemoryPageStore store = new MemoryPageStore(BLOCK_SIZE);
        Random random = new Random(17);
        RootRecovery.Recovered[] found = new RootRecovery.Recovered[1];
        RootRecovery.recover(store, store.nextBlock(), store.lastBlock()).thenAccept(r -> found[0] = r);
        store.deliver(random);
        long before = store.nextBlock();
        List<Throwable> failures = new ArrayList<>();
        BTree tree = new BTree(store, found[0].root(), found[0].nextBlock(), 1024, failures::add,
                new PageValidator(2 * BLOCK_SIZE));
        List<BatchOutcome> outcomes = new ArrayList<>();
        tree.execute(List.of(new KvldsRequest.Set(Key.of("k"), Key.of("v"))), List.of(), outcomes::add);
        store.deliver(random);
        assertThat(store.nextBlock()).as("blocks appended to lbs").isEqualTo(before);
        assertThat(failures).singleElement().satisfies(f -> assertThat(f)
                .hasMessageContaining("kvlds wrote an invalid page (nothing of this batch was sent to lbs)"));
        assertThat(outcomes).as("nothing answered").isEmpty();
        assertThat(tree.failed()).isTrue();
    }
}
