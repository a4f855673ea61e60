package io.kivaloo.kvlds.btree;

import static org.assertj.core.api.Assertions.assertThat;

import io.kivaloo.kvlds.server.KvldsScenarioAccess;
import io.kivaloo.proto.kvlds.Key;
import io.kivaloo.proto.kvlds.KvldsCodec;
import io.kivaloo.proto.kvlds.KvldsRequest;
import io.kivaloo.proto.kvlds.KvldsResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * A RANGE with the largest max (2^32-1) stops at
 * {@link KvldsCodec#MAX_RANGE_PAIR_BYTES}, so that its answer fits the
 * client's response limit ({@link KvldsCodec#MAX_RESPONSE_LENGTH}) and one
 * RANGE never holds more than {@link RangeBudget#heldBound} while it runs
 * (issue 19, items 1 and 4). Before, the scan's only bound was 1,024 leaves:
 * up to 128 MiB of pairs with 128 KiB blocks, past the client's 16 MiB.
 */
class RangeBudgetTest {

    private static final int BLOCK_SIZE = 65536;

    @Test
    void aWholeStoreRangeAnswerFitsTheClientsResponseLimitAndTheIterationReturnsEverything() {
        TreeHarness h = new TreeHarness(BLOCK_SIZE, 1024, new Random(4));
        byte[] value = new byte[255];
        int n = 0;
        for (int batch = 0; batch < 6; batch++) {
            List<KvldsRequest.Modifying> sets = new ArrayList<>();
            for (int i = 0; i < 5000; i++, n++) {
                value[0] = (byte) n;
                sets.add(new KvldsRequest.Set(KvldsScenarioAccess.be64(n), Key.of(value)));
            }
            h.batch(sets);
        }
        // 30,000 pairs of 2 + 8 + 255 bytes: 7.6 MiB of pairs in some 180 leaves.
        KvldsResponse.Range first = h.range(Key.EMPTY, Key.EMPTY, 0xffffffffL);
        TreeHarness.checkRange(h.model, Key.EMPTY, Key.EMPTY, 0xffffffffL, first);
        assertThat(first.next().isEmpty()).as("a whole-store RANGE stops early").isFalse();
        assertThat(KvldsCodec.encodeResponse(first).length).isLessThanOrEqualTo(KvldsCodec.MAX_RESPONSE_LENGTH);
        long held = 0;
        for (KvldsResponse.Pair p : first.pairs()) {
            held += RangeBudget.heldBytes(p.serializedSize());
        }
        assertThat(held).isLessThanOrEqualTo(RangeBudget.heldBound(0xffffffffL));
        assertThat(h.scan(Key.EMPTY, Key.EMPTY, 0xffffffffL)).hasSize(n);
    }

    @Test
    void theHeldBoundOfASmallRangeIsSmall() {
        assertThat(RangeBudget.heldBound(1000)).isLessThan(100_000);
        assertThat(RangeBudget.heldBound(0xffffffffL)).isLessThan(KvldsCodec.MAX_RANGE_PAIR_BYTES + 1024);
    }
}
