package io.kivaloo.lbss3.store;

import io.kivaloo.lbss3.s3.ObjectInfo;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.NavigableSet;
import java.util.TreeSet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The recovery rule on hand-made listings: which objects count, which are garbage, which listings are refused. */
class RecoveryTest {

    private static final int BS = 512;
    private final StoreLayout layout = new StoreLayout("p");
    private final Map<Long, GenerationStart> starts = new HashMap<>();
    private final List<ObjectInfo> blocks = new ArrayList<>();

    private void started(long generation, long startBlock, long previous) {
        starts.put(generation, new GenerationStart(generation, startBlock, previous));
    }

    private String object(long first, long count, long generation) {
        String key = layout.blockKey(first, generation);
        blocks.add(new ObjectInfo(key, count * BS));
        return key;
    }

    private Recovery.Result recover() throws IOException {
        NavigableSet<Long> started = new TreeSet<>(Long::compareUnsigned);
        started.addAll(starts.keySet());
        blocks.sort((a, b) -> a.key().compareTo(b.key()));
        return Recovery.recover(layout, BS, started, blocks, starts::get);
    }

    @Test
    void emptyBucketStartsAtZero() throws IOException {
        Recovery.Result result = recover();
        assertThat(result.nextBlock()).isZero();
        assertThat(result.newest()).isEqualTo(GenerationStart.NONE);
    }

    @Test
    void objectsOfOneGenerationFormTheChain() throws IOException {
        started(1, 0, GenerationStart.NONE);
        object(0, 2, 1);
        object(2, 3, 1);
        Recovery.Result result = recover();
        assertThat(result.nextBlock()).isEqualTo(5);
        assertThat(result.live()).hasSize(2);
        assertThat(result.garbage()).isEmpty();
    }

    @Test
    void deadGenerationsObjectBeyondTheNextStartIsGarbageEvenWhereItOverlapsNewerBlocks() throws IOException {
        started(1, 0, GenerationStart.NONE);
        object(0, 2, 1);
        String late = object(2, 4, 1); // landed after generation 2 had listed
        started(2, 2, 1);
        object(2, 1, 2);
        object(3, 1, 2);
        Recovery.Result result = recover();
        assertThat(result.garbage()).containsExactly(late);
        assertThat(result.nextBlock()).isEqualTo(4);
        assertThat(result.live()).extracting(StoredObject::generation).containsExactly(1L, 2L, 2L);
    }

    @Test
    void lateObjectOfAnOlderGenerationStaysGarbageAfterMoreRestarts() throws IOException {
        started(1, 0, GenerationStart.NONE);
        object(0, 2, 1);
        String late = object(2, 1, 1);
        started(2, 2, 1);
        started(3, 2, 2); // generation 2 wrote nothing
        started(4, 2, 3);
        object(2, 5, 4);
        Recovery.Result result = recover();
        assertThat(result.garbage()).containsExactly(late);
        assertThat(result.nextBlock()).isEqualTo(7);
    }

    @Test
    void generationOutsideTheChainIsGarbageAndItsLateStartRecordIsNotFollowed() throws IOException {
        started(1, 0, GenerationStart.NONE);
        object(0, 2, 1);
        object(2, 2, 1); // generation 3 saw this one ...
        started(2, 2, 1); // ... but generation 2's start record, based on an older listing, landed late
        started(3, 4, 1);
        object(4, 1, 3);
        Recovery.Result result = recover();
        assertThat(result.garbage()).isEmpty();
        assertThat(result.nextBlock()).isEqualTo(5);
        assertThat(result.live()).hasSize(3);
    }

    /**
     * Issue 19 item 7: a generation writes data only after its start record
     * exists, so its objects without one mean the record was lost (a
     * lifecycle rule, an operator, a listing that missed it). They were
     * garbage before, and the first FREE deleted them.
     */
    @Test
    void objectsOfAGenerationWithoutAStartRecordAreRefused() {
        started(1, 0, GenerationStart.NONE);
        object(0, 1, 1);
        object(1, 1, 2);
        assertThatThrownBy(this::recover).isInstanceOf(CorruptStoreException.class)
                .hasMessageContaining("written by generation 2, which has no start record")
                .hasMessageContaining("refusing to start");
    }

    @Test
    void objectsOfTheNewestGenerationWithoutAStartRecordAreRefusedToo() {
        started(1, 0, GenerationStart.NONE);
        object(0, 1, 1);
        started(2, 1, 1);
        object(1, 1, 2);
        object(2, 1, 3);
        assertThatThrownBy(this::recover).isInstanceOf(CorruptStoreException.class)
                .hasMessageContaining("written by generation 3, which has no start record");
    }

    @Test
    void freedPrefixIsFine() throws IOException {
        started(1, 0, GenerationStart.NONE);
        started(2, 10, 1);
        object(8, 2, 1);
        object(10, 1, 2);
        Recovery.Result result = recover();
        assertThat(result.nextBlock()).isEqualTo(11);
        assertThat(result.live().get(0).firstBlock()).isEqualTo(8);
    }

    @Test
    void gapBetweenObjectsIsRefused() throws IOException {
        started(1, 0, GenerationStart.NONE);
        object(0, 2, 1);
        object(3, 2, 1);
        assertThatThrownBy(this::recover).isInstanceOf(CorruptStoreException.class).hasMessageContaining("do not join up");
    }

    @Test
    void missingNewestObjectsAreRefused() throws IOException {
        started(1, 0, GenerationStart.NONE);
        object(0, 2, 1);
        started(2, 5, 1);
        assertThatThrownBy(this::recover).isInstanceOf(CorruptStoreException.class).hasMessageContaining("objects are missing");
    }

    @Test
    void everyObjectMissingIsRefused() throws IOException {
        started(1, 0, GenerationStart.NONE);
        started(2, 5, 1);
        assertThatThrownBy(this::recover).isInstanceOf(CorruptStoreException.class).hasMessageContaining("objects are missing");
    }

    @Test
    void objectOfAPartialBlockIsRefused() throws IOException {
        started(1, 0, GenerationStart.NONE);
        blocks.add(new ObjectInfo(layout.blockKey(0, 1), BS + 1));
        assertThatThrownBy(this::recover).isInstanceOf(CorruptStoreException.class)
                .hasMessageContaining("expected: a positive multiple of the block size 512");
    }

    @Test
    void layoutKeysRoundTrip() {
        assertThat(layout.parseBlockKey(layout.blockKey(-2L, 7))).contains(new StoreLayout.BlockKey(-2L, 7));
        assertThat(layout.parseGenerationKey(layout.startKey(5))).contains(new StoreLayout.GenerationKey(5, true));
        assertThat(layout.parseGenerationKey(layout.claimKey(5))).contains(new StoreLayout.GenerationKey(5, false));
        assertThat(layout.parseBlockKey("p/blocks/000000000000000A-0000000000000001")).as("uppercase is not ours").isEmpty();
        assertThat(layout.parseLeaseGeneration(layout.leaseKey(3, 9))).contains(3L);
        assertThat(new StoreLayout("").blockKey(1, 1)).isEqualTo("blocks/0000000000000001-0000000000000001");
    }
}
