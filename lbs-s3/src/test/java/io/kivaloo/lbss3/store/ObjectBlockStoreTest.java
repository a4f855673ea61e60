package io.kivaloo.lbss3.store;

import io.kivaloo.lbss3.s3.FaultyObjectStore;
import io.kivaloo.lbss3.s3.FaultyObjectStore.Kind;
import io.kivaloo.lbss3.s3.MemoryObjectStore;
import io.kivaloo.lbss3.s3.ObjectStoreException;
import io.kivaloo.proto.lbs.store.StoreFailedException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.time.Duration;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static io.kivaloo.lbss3.store.Instance.BLOCK_SIZE;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The store of one generation on an in-memory bucket: APPEND, GET, FREE, restarts, and each kind of failure. */
class ObjectBlockStoreTest {

    private final MemoryObjectStore bucket = new MemoryObjectStore();
    /** What was acknowledged: block number → bytes. */
    private final TreeMap<Long, byte[]> acked = new TreeMap<>();

    @Test
    void emptyStoreStartsAtBlockZeroAndKeepsItsNextBlockAcrossRestarts() throws IOException {
        try (Instance first = Instance.start(bucket)) {
            assertThat(first.store.nextBlock()).isZero();
            assertThat(first.store.read(0)).isNull();
        }
        try (Instance second = Instance.start(bucket)) {
            assertThat(second.store.nextBlock()).isZero();
            append(second, 0, 3, 1);
        }
        try (Instance third = Instance.start(bucket)) {
            assertThat(third.store.nextBlock()).isEqualTo(3);
            assertThat(third.store.generation()).isEqualTo(3);
            verifyAcked(third);
        }
        assertThat(bucket.keysWrittenTwice()).isEmpty();
    }

    @Test
    void appendedBlocksReadBackFromTheirObjectsAndOutsideReadsAreAbsent() throws IOException {
        try (Instance instance = Instance.start(bucket)) {
            append(instance, 0, 1, 1);
            append(instance, 1, 5, 1);
            append(instance, 6, 2, 1);
            verifyAcked(instance);
            assertThat(instance.store.objectCount()).isEqualTo(3);
            assertThat(instance.store.read(8)).isNull();
            assertThat(instance.store.read(-1L)).isNull();
        }
    }

    @Test
    void freeDeletesWholeObjectsBelowItsArgumentButNeverTheNewest() throws IOException {
        try (Instance instance = Instance.start(bucket)) {
            append(instance, 0, 2, 1);
            append(instance, 2, 2, 1);
            append(instance, 4, 2, 1);
            instance.store.free(3); // object [2,4) still holds block 3
            assertThat(instance.store.minBlock()).isEqualTo(2);
            assertThat(instance.store.read(1)).isNull();
            assertThat(instance.store.read(2)).isEqualTo(acked.get(2L));
            instance.store.free(-1L); // everything: the newest object stays
            assertThat(instance.store.minBlock()).isEqualTo(4);
            assertThat(instance.store.read(5)).isEqualTo(acked.get(5L));
        }
        try (Instance restarted = Instance.start(bucket)) {
            assertThat(restarted.store.minBlock()).isEqualTo(4);
            assertThat(restarted.store.nextBlock()).isEqualTo(6);
            assertThat(restarted.store.read(5)).isEqualTo(acked.get(5L));
        }
    }

    @Test
    void appendIsVisibleOnlyOnceTheObjectStoreHasConfirmedThePut() throws Exception {
        Instance instance = Instance.start(bucket);
        append(instance, 0, 1, 1);
        instance.view.holdPut(key -> key.contains("/blocks/"));
        byte[] data = Blocks.of(1, 2, 1, BLOCK_SIZE);
        CompletableFuture<Long> append = CompletableFuture.supplyAsync(() -> {
            try {
                return instance.store.append(1, data, 2);
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
        });
        instance.view.awaitHeldPut();
        assertThat(instance.store.nextBlock()).as("not acknowledged while the PUT is in flight").isEqualTo(1);
        assertThat(instance.store.read(1)).isNull();
        instance.view.releaseHeldPut();
        assertThat(append.get(2, TimeUnit.MINUTES)).isEqualTo(3);
        assertThat(instance.store.read(2)).isEqualTo(Blocks.block(2, 1, BLOCK_SIZE));
        instance.stop();
    }

    @ParameterizedTest(name = "failure before the PUT lands: {0}")
    @ValueSource(booleans = {true, false})
    void failedPutStopsTheStoreAndARestartKeepsEveryAcknowledgedBlock(boolean beforeLanding) throws IOException {
        Instance instance = Instance.start(bucket);
        append(instance, 0, 4, 1);
        if (beforeLanding) {
            instance.view.failNth(Kind.PUT, 1);
        } else {
            instance.view.loseAnswerOfNthPut(1);
        }
        assertThatThrownBy(() -> instance.store.append(4, Blocks.of(4, 2, 1, BLOCK_SIZE), 2))
                .isInstanceOf(StoreFailedException.class).hasMessageContaining("APPEND at block 4");
        assertThat(instance.store.nextBlock()).isEqualTo(4);
        assertThatThrownBy(() -> instance.store.append(4, Blocks.of(4, 1, 1, BLOCK_SIZE), 1))
                .as("fail-stop: no APPEND after a failed one").isInstanceOf(StoreFailedException.class);
        instance.crash();
        try (Instance restarted = Instance.start(bucket)) {
            verifyAcked(restarted);
            // The unacknowledged APPEND is there completely (it landed) or not at all.
            assertThat(restarted.store.nextBlock()).isEqualTo(beforeLanding ? 4 : 6);
            long next = restarted.store.nextBlock();
            append(restarted, next, 1, 2);
            verifyAcked(restarted);
        }
        assertThat(bucket.keysWrittenTwice()).isEmpty();
    }

    @Test
    void failedFenceCheckStopsTheStoreWithoutAcknowledging() throws IOException {
        Instance instance = Instance.start(bucket);
        append(instance, 0, 1, 1);
        instance.opened.lease().close(); // its renewals HEAD the same claim key: the next HEAD must be the APPEND's
        instance.view.failNth(Kind.HEAD, 1);
        assertThatThrownBy(() -> instance.store.append(1, Blocks.of(1, 1, 1, BLOCK_SIZE), 1))
                .isInstanceOf(StoreFailedException.class);
        assertThat(instance.store.nextBlock()).isEqualTo(1);
        instance.crash();
        try (Instance restarted = Instance.start(bucket)) {
            verifyAcked(restarted);
        }
    }

    @Test
    void failedGetFailsThatReadOnly() throws IOException {
        try (Instance instance = Instance.start(bucket)) {
            append(instance, 0, 2, 1);
            instance.view.failNth(Kind.GET, 1);
            assertThatThrownBy(() -> instance.store.read(1)).isInstanceOf(ObjectStoreException.class);
            verifyAcked(instance);
            append(instance, 2, 1, 1);
            verifyAcked(instance);
        }
    }

    @Test
    void failedDeleteIsRetriedByTheNextFreeAndNeverLeavesAGap() throws IOException {
        try (Instance instance = Instance.start(bucket)) {
            for (long b = 0; b < 5; b++) {
                append(instance, b, 1, 1);
            }
            // The second object's DELETE, by key: lease renewals delete old lease keys at any moment.
            instance.view.failMatching(k -> k.contains("blocks/0000000000000001-"));
            instance.store.free(4); // logged, not thrown: FREE is advisory
            assertThat(bucket.keys()).as("the third object was not deleted past the failed second")
                    .anyMatch(k -> k.endsWith("blocks/0000000000000002-0000000000000001"))
                    .noneMatch(k -> k.endsWith("blocks/0000000000000000-0000000000000001"));
            assertThat(instance.store.minBlock()).isEqualTo(2);
        }
        try (Instance restarted = Instance.start(bucket)) {
            assertThat(restarted.store.minBlock()).as("the undeleted object is still a gap-free prefix").isEqualTo(1);
            restarted.store.free(4);
            assertThat(restarted.store.minBlock()).isEqualTo(4);
            assertThat(restarted.store.read(4)).isEqualTo(acked.get(4L));
        }
    }

    @Test
    void failedDeleteInTheSameGenerationIsRetriedFirst() throws IOException {
        try (Instance instance = Instance.start(bucket)) {
            for (long b = 0; b < 4; b++) {
                append(instance, b, 1, 1);
            }
            // By key, not "the next DELETE": lease renewals delete old lease keys at any moment.
            instance.view.failMatching(k -> k.contains("blocks/0000000000000000-"));
            instance.store.free(2);
            assertThat(bucket.keys()).anyMatch(k -> k.contains("blocks/0000000000000000-"));
            instance.view.failMatching(k -> false);
            instance.store.free(3);
            assertThat(bucket.keys()).noneMatch(k -> k.contains("blocks/0000000000000000-"))
                    .noneMatch(k -> k.contains("blocks/0000000000000001-"));
            assertThat(instance.store.minBlock()).isEqualTo(3);
        }
    }

    /** Start-up lists params, leases, generations (twice) and blocks: each LIST failing in turn. */
    @ParameterizedTest(name = "LIST number {0} fails")
    @ValueSource(ints = {1, 2, 3, 4})
    void failedListFailsStartUpAndTheNextStartFindsEverything(int n) throws IOException {
        try (Instance first = Instance.start(bucket)) {
            append(first, 0, 3, 1);
        }
        FaultyObjectStore view = new FaultyObjectStore(bucket).failNth(Kind.LIST, n);
        assertThatThrownBy(() -> Instance.start(view, BLOCK_SIZE, Instance.LEASE))
                .isInstanceOf(ObjectStoreException.class).hasMessageContaining("LIST number " + n);
        try (Instance restarted = Instance.start(bucket)) {
            verifyAcked(restarted);
            append(restarted, 3, 1, 2);
            verifyAcked(restarted);
        }
    }

    /** Issue 19 item 7: every guarantee rests on If-None-Match, so a store that ignores it is refused at start-up. */
    @Test
    void anObjectStoreThatIgnoresIfNoneMatchIsRefusedBeforeAnyDataIsWritten() throws IOException {
        try (Instance first = Instance.start(bucket)) {
            append(first, 0, 2, 1);
        }
        FaultyObjectStore careless = new FaultyObjectStore(bucket).ignoreConditions();
        assertThatThrownBy(() -> Instance.start(careless, BLOCK_SIZE, Instance.LEASE))
                .isInstanceOf(StoreRefusedException.class).hasMessageContaining("does not honour If-None-Match");
        assertThat(bucket.keys()).noneMatch(k -> k.endsWith("/probe"));
        try (Instance restarted = Instance.start(bucket)) {
            verifyAcked(restarted);
        }
    }

    @Test
    void failedPutOfTheStartRecordLeavesAClaimThatLaterStartsSkip() throws IOException {
        try (Instance first = Instance.start(bucket)) {
            append(first, 0, 2, 1);
        }
        FaultyObjectStore view = new FaultyObjectStore(bucket)
                .failMatching(key -> key.endsWith("/start"));
        assertThatThrownBy(() -> Instance.start(view, BLOCK_SIZE, Instance.LEASE)).isInstanceOf(ObjectStoreException.class);
        try (Instance restarted = Instance.start(bucket)) {
            assertThat(restarted.store.generation()).isEqualTo(3);
            verifyAcked(restarted);
        }
    }

    /**
     * kill -9 while an APPEND's PUT is in flight; a new generation starts and
     * writes the same block numbers; then the dead process's PUT lands. It
     * must neither replace nor shadow the new generation's acknowledged
     * blocks, now or after any later restart.
     */
    @Test
    void latePutFromADeadInstanceNeverReplacesOrShadowsAcknowledgedBlocks() throws Exception {
        Instance dead = Instance.start(bucket);
        append(dead, 0, 2, 1);
        dead.view.holdPut(key -> key.contains("/blocks/"));
        CompletableFuture<Long> inFlight = CompletableFuture.supplyAsync(() -> {
            try {
                return dead.store.append(2, Blocks.of(2, 3, 9, BLOCK_SIZE), 3);
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
        });
        dead.view.awaitHeldPut();
        dead.crash();

        try (Instance next = Instance.start(bucket)) {
            assertThat(next.store.nextBlock()).as("the in-flight PUT had not landed at the restart").isEqualTo(2);
            append(next, 2, 1, 2);
            dead.view.releaseHeldPut(); // lands now, under the dead generation's key
            assertThat(inFlight).failsWithin(2, TimeUnit.MINUTES);
            append(next, 3, 1, 2);
            verifyAcked(next);
        }
        assertThat(bucket.keys()).as("the late PUT did land").anyMatch(k -> k.endsWith("blocks/0000000000000002-0000000000000001"));
        for (int restart = 0; restart < 2; restart++) {
            try (Instance later = Instance.start(bucket)) {
                assertThat(later.store.nextBlock()).isEqualTo(4);
                verifyAcked(later);
            }
        }
        try (Instance cleaner = Instance.start(bucket)) {
            cleaner.store.free(0); // deletes the garbage recovery found, nothing else
            assertThat(bucket.keys()).as("the late object is garbage, deleted by a FREE")
                    .noneMatch(k -> k.endsWith("blocks/0000000000000002-0000000000000001"));
            verifyAcked(cleaner);
        }
        assertThat(bucket.keysWrittenTwice()).isEmpty();
    }

    /** The late PUT lands before the next start lists the blocks: it is then simply part of the store. */
    @Test
    void putThatLandsBeforeTheNextStartIsKeptWhole() throws Exception {
        Instance dead = Instance.start(bucket);
        append(dead, 0, 2, 1);
        dead.view.loseAnswerOfNthPut(1);
        assertThatThrownBy(() -> dead.store.append(2, Blocks.of(2, 3, 1, BLOCK_SIZE), 3)).isInstanceOf(IOException.class);
        dead.crash();
        try (Instance next = Instance.start(bucket)) {
            assertThat(next.store.nextBlock()).isEqualTo(5);
            assertThat(next.store.read(4)).isEqualTo(Blocks.block(4, 1, BLOCK_SIZE));
            verifyAcked(next);
        }
    }

    /** An older instance whose lease lapsed (stalled, cut off) and a newcomer: the older one is fenced off. */
    @Test
    void freeOfASupersededInstanceStopsIt() throws IOException {
        Instance old = Instance.start(bucket);
        append(old, 0, 1, 1);
        append(old, 1, 1, 1);
        old.view.failMatching(key -> key.contains("/lease/"));
        try (Instance newer = Instance.start(bucket)) {
            assertThatThrownBy(() -> old.store.free(2)).isInstanceOf(StoreRefusedException.class);
            assertThat(newer.store.read(0)).as("nothing deleted by the superseded instance").isEqualTo(acked.get(0L));
        }
        old.crash();
    }

    @Test
    void olderInstanceIsFencedOffOnceANewerGenerationIsClaimed() throws IOException {
        Instance old = Instance.start(bucket);
        append(old, 0, 2, 1);
        old.view.failMatching(key -> key.contains("/lease/")); // its renewals no longer arrive
        try (Instance newer = Instance.start(bucket)) {
            assertThatThrownBy(() -> old.store.append(2, Blocks.of(2, 1, 7, BLOCK_SIZE), 1))
                    .isInstanceOf(StoreFailedException.class).hasMessageContaining("another lbs-s3 took over");
            assertThat(newer.store.nextBlock()).as("the fenced APPEND had landed before the fence check")
                    .isIn(2L, 3L);
            long next = newer.store.nextBlock();
            append(newer, next, 1, 2);
            verifyAcked(newer);
        }
        old.crash();
    }

    @Test
    void secondLiveInstanceIsRefused() throws IOException {
        Duration lease = Duration.ofSeconds(8);
        Instance live = Instance.start(new FaultyObjectStore(bucket), BLOCK_SIZE, lease);
        try {
            assertThatThrownBy(() -> Instance.start(new FaultyObjectStore(bucket), BLOCK_SIZE, lease))
                    .isInstanceOf(StoreRefusedException.class).hasMessageContaining("in use by another lbs-s3");
            append(live, 0, 1, 1);
            verifyAcked(live);
        } finally {
            live.stop();
        }
        try (Instance after = Instance.start(new FaultyObjectStore(bucket), BLOCK_SIZE, lease)) {
            verifyAcked(after); // a clean stop released the lease: no wait, no refusal
        }
    }

    /**
     * Issue 19 item 7: the lease period is recorded in every lease, so a
     * newcomer started with a much shorter one still watches for the live
     * instance's whole period (it renews every 2 s here; a 20 ms watch
     * would almost never see it) and is refused.
     */
    @Test
    void aNewcomerWithAShorterLeasePeriodWaitsForTheRecordedOne() throws IOException {
        Instance live = Instance.start(new FaultyObjectStore(bucket), BLOCK_SIZE, Duration.ofSeconds(8));
        try {
            assertThatThrownBy(() -> Instance.start(new FaultyObjectStore(bucket), BLOCK_SIZE, Duration.ofMillis(20)))
                    .isInstanceOf(StoreRefusedException.class).hasMessageContaining("in use by another lbs-s3");
            append(live, 0, 1, 1);
            verifyAcked(live);
        } finally {
            live.stop();
        }
    }

    @Test
    void otherBlockSizeIsRefused() throws IOException {
        try (Instance first = Instance.start(bucket)) {
            append(first, 0, 1, 1);
        }
        assertThatThrownBy(() -> Instance.start(new FaultyObjectStore(bucket), 1024, Instance.LEASE))
                .isInstanceOf(StoreRefusedException.class)
                .hasMessageContaining("initialised with block size 512, not 1024; restart with -b 512");
    }

    @Test
    void storeIdIsRandomAndRecordedOnce() throws IOException {
        String id;
        try (Instance first = Instance.start(bucket)) {
            id = first.opened.parameters().storeId();
        }
        try (Instance second = Instance.start(bucket)) {
            assertThat(second.opened.parameters().storeId()).isEqualTo(id).matches("[0-9a-f]{32}");
        }
        try (Instance other = Instance.start(new MemoryObjectStore())) {
            assertThat(other.opened.parameters().storeId()).isNotEqualTo(id);
        }
    }

    private void append(Instance instance, long first, int count, int tag) throws IOException {
        byte[] data = Blocks.of(first, count, tag, BLOCK_SIZE);
        assertThat(instance.store.append(first, data, count)).isEqualTo(first + count);
        for (int i = 0; i < count; i++) {
            acked.put(first + i, Blocks.block(first + i, tag, BLOCK_SIZE));
        }
    }

    private void verifyAcked(Instance instance) throws IOException {
        long min = instance.store.minBlock();
        for (var e : acked.tailMap(min).entrySet()) {
            assertThat(instance.store.read(e.getKey())).as("acknowledged block %d", e.getKey()).isEqualTo(e.getValue());
        }
        if (!acked.isEmpty()) {
            assertThat(instance.store.nextBlock()).isGreaterThan(acked.lastKey());
        }
    }
}
