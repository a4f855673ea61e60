package io.kivaloo.kvlds.btree;

import io.kivaloo.kvlds.page.Page;
import io.kivaloo.kvlds.page.TestPages;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The pin table against a model map: whatever the puts (repeated, clustered,
 * near 2^64, enough to grow the table several times), a lookup answers the
 * page last put for that block or nothing, never another block's page.
 */
class PinnedPagesTest {

    private static final int B = 512;

    private static Page page(long block) {
        return TestPages.emptyRootAt(block, B);
    }

    /** Blocks from three regions: small, around 2^32 and just below 2^64 (unsigned), so hashes of far blocks meet. */
    @Provide
    Arbitrary<List<Long>> blocks() {
        Arbitrary<Long> small = Arbitraries.longs().between(0, 3000);
        Arbitrary<Long> mid = Arbitraries.longs().between(0, 3000).map(n -> (1L << 32) + n);
        Arbitrary<Long> top = Arbitraries.longs().between(1, 3000).map(n -> -n);
        return Arbitraries.oneOf(small, mid, top).list().ofMaxSize(3000);
    }

    @Property(tries = 200)
    void agreesWithAModelMap(@ForAll("blocks") List<Long> puts, @ForAll("blocks") List<Long> lookups) {
        PinnedPages pins = new PinnedPages();
        Map<Long, Page> model = new HashMap<>();
        for (long block : puts) {
            Page page = page(block);
            pins.put(page);
            model.put(block, page);
            assertThat(pins.get(block)).isSameAs(page);
        }
        assertThat(pins.size()).isEqualTo(model.size());
        for (long block : puts) {
            assertThat(pins.get(block)).isSameAs(model.get(block));
        }
        for (long block : lookups) {
            assertThat(pins.get(block)).isSameAs(model.get(block));
        }
    }
}
