package io.kivaloo.kvlds.btree;

import static org.assertj.core.api.Assertions.assertThat;

import io.kivaloo.proto.kvlds.Key;
import io.kivaloo.proto.kvlds.KvldsRequest;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * What a commit does to the page cache, with two batches in flight: a
 * batch's pages enter the cache only when it commits (before that no read
 * can reach them), and the pages it superseded leave it then (garbage once
 * the new root is committed; left there they would push live pages out).
 */
class CommitCacheTest {

    @Test
    void aBatchsPagesEnterTheCacheAndTheOnesItSupersededLeaveItAtItsCommit() {
        Random random = new Random(1);
        TreeHarness h = new TreeHarness(1024, 64, random);
        h.batch(List.of(new KvldsRequest.Set(Key.of("a"), Key.of("1"))));
        // One leaf, the root: every batch below rewrites it as one page.
        long old = h.tree.committed().root().block();
        long head = h.tree.nextBlock();
        assertThat(h.tree.cache().get(old)).as("the committed root is cached").isNotNull();

        BatchOutcome[] outcomes = new BatchOutcome[2];
        boolean[] appended = new boolean[1];
        h.tree.execute(List.of(new KvldsRequest.Set(Key.of("b"), Key.of("2"))), List.of(), () -> appended[0] = true,
                o -> outcomes[0] = o);
        assertThat(appended[0]).as("N's APPEND sent (every page it needs is cached)").isTrue();
        h.tree.execute(List.of(new KvldsRequest.Set(Key.of("c"), Key.of("3"))), List.of(), () -> { }, o -> outcomes[1] = o);
        assertThat(h.tree.cache().get(head)).as("N's page before N commits").isNull();
        assertThat(h.tree.cache().get(head + 1)).as("N+1's page before N+1 commits").isNull();
        assertThat(h.tree.cache().get(old)).as("the committed root while N is at lbs").isNotNull();

        h.store.deliverOne(random);
        assertThat(outcomes[0]).as("N answered").isNotNull();
        assertThat(outcomes[1]).as("N+1 answered").isNull();
        assertThat(h.tree.cache().get(old)).as("the page N superseded").isNull();
        assertThat(h.tree.cache().get(head)).as("N's page once N committed").isNotNull();
        assertThat(h.tree.cache().get(head + 1)).as("N+1's page before N+1 commits").isNull();

        h.store.deliver(random);
        h.assertNoFailure();
        assertThat(outcomes[1]).as("N+1 answered").isNotNull();
        assertThat(h.tree.cache().get(head)).as("the page N+1 superseded").isNull();
        assertThat(h.tree.cache().get(head + 1)).as("N+1's page once N+1 committed").isNotNull();
        h.model.put(Key.of("a"), Key.of("1"));
        h.model.put(Key.of("b"), Key.of("2"));
        h.model.put(Key.of("c"), Key.of("3"));
        h.checkStructure();
    }
}
