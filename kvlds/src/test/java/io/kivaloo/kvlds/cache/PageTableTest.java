package io.kivaloo.kvlds.cache;

import io.kivaloo.kvlds.page.Page;
import io.kivaloo.kvlds.page.TestPages;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;
import org.junit.jupiter.api.Test;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The page table against a model map: whatever the sequence of puts, gets,
 * evictions and removals, a lookup answers the page last put for that block or
 * nothing, never another block's page; nothing is lost while there is room;
 * the size never exceeds the capacity; and CLOCK spares a page that is used
 * between evictions.
 */
class PageTableTest {

    private static final int B = 512;

    private static Page page(long block) {
        return TestPages.emptyRootAt(block, B);
    }

    /** One step: 0 = put, 1 = get, 2 = evict, 3 = remove; the block (or count) is the second element. */
    @Provide
    Arbitrary<List<int[]>> operations() {
        Arbitrary<int[]> op = Arbitraries.integers().between(0, 10).flatMap(kind -> Arbitraries.integers().between(0, 200)
                .map(n -> new int[] {kind < 5 ? 0 : kind < 8 ? 1 : kind < 9 ? 2 : 3, kind == 8 ? n % 7 : n}));
        return op.list().ofMaxSize(600);
    }

    @Property(tries = 300)
    void agreesWithAModelMap(@ForAll @IntRange(min = 1, max = 64) int capacity,
                             @ForAll("operations") @Size(max = 600) List<int[]> operations) {
        PageTable table = new PageTable(capacity);
        Map<Long, Page> model = new HashMap<>();
        for (int[] op : operations) {
            long block = op[1];
            switch (op[0]) {
                case 0: {
                    Page page = page(block);
                    boolean replacing = model.containsKey(block); // the model holds exactly what the table holds
                    int before = table.size();
                    table.put(page);
                    model.put(block, page);
                    assertThat(table.get(block)).as("just put").isSameAs(page);
                    assertThat(table.size()).as("evicts only when full")
                            .isEqualTo(replacing ? before : Math.min(before + 1, capacity));
                    break;
                }
                case 1: {
                    Page got = table.get(block);
                    if (got != null) {
                        assertThat(got).as("block %d", block).isSameAs(model.get(block));
                    }
                    break;
                }
                case 2:
                    table.evict(op[1]);
                    break;
                default: {
                    boolean held = table.get(block) != null;
                    int before = table.size();
                    assertThat(table.remove(block)).as("remove %d", block).isEqualTo(held);
                    assertThat(table.get(block)).as("removed").isNull();
                    assertThat(table.size()).isEqualTo(held ? before - 1 : before);
                    model.remove(block);
                    break;
                }
            }
            // Drop from the model what the table evicted, and check the rest answers right.
            int present = 0;
            for (Map.Entry<Long, Page> e : List.copyOf(model.entrySet())) {
                Page got = table.get(e.getKey());
                if (got == null) {
                    model.remove(e.getKey());
                } else {
                    assertThat(got).isSameAs(e.getValue());
                    present++;
                }
            }
            assertThat(table.size()).isEqualTo(present).isLessThanOrEqualTo(capacity);
        }
    }

    @Test
    void fillsToCapacityBeforeEvicting() {
        PageTable table = new PageTable(100);
        for (long b = 0; b < 100; b++) {
            table.put(page(b));
        }
        for (long b = 0; b < 100; b++) {
            assertThat(table.get(b)).as("block %d", b).isNotNull();
        }
        table.put(page(100));
        assertThat(table.size()).isEqualTo(100);
        assertThat(table.get(100)).isNotNull();
    }

    @Test
    void aPageUsedBetweenEvictionsSurvivesColdOnes() {
        PageTable table = new PageTable(8);
        for (long b = 0; b < 8; b++) {
            table.put(page(b));
        }
        Page hot = table.get(3);
        for (long b = 100; b < 200; b++) {
            table.get(3);
            table.put(page(b));
        }
        assertThat(table.get(3)).isSameAs(hot);
    }
}
