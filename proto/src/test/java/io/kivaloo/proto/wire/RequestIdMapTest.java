package io.kivaloo.proto.wire;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;

import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/** The map behaves as a map of IDs whatever their pattern; spreading never merges two IDs. */
class RequestIdMapTest {

    /**
     * Sequential IDs sent, answered out of order (each step answers one of
     * the oldest few in flight, or a random one), against a HashMap.
     */
    @Property(tries = 200)
    void matchesAMapUnderPipelinedTraffic(@ForAll @Size(max = 2000) List<@IntRange(min = 0, max = 99) Integer> steps) {
        RequestIdMap<String> ids = new RequestIdMap<>();
        Map<Long, String> model = new HashMap<>();
        long next = 0;
        for (int step : steps) {
            if (step < 60 || model.isEmpty()) {
                long id = next++;
                assertThat(ids.put(id, "r" + id)).isNull();
                model.put(id, "r" + id);
            } else {
                long victim = step < 90 ? model.keySet().stream().min(Long::compare).orElseThrow() : next - 1 - (step % 7);
                assertThat(ids.remove(victim)).isEqualTo(model.remove(victim));
            }
            assertThat(ids.size()).isEqualTo(model.size());
        }
        assertThat(ids.remove(next)).as("an ID never sent").isNull();
        assertThat(new HashSet<>(ids.removeAll())).isEqualTo(new HashSet<>(model.values()));
        assertThat(ids.isEmpty()).isTrue();
    }

    /**
     * The same traffic with a ring capped at 64 slots, so that stragglers
     * (the oldest requests, answered last) move to the overflow map, and
     * IDs reused or far apart: still a map.
     */
    @Property(tries = 200)
    void matchesAMapWithStragglersAndScatteredIds(@ForAll @Size(max = 3000) List<@IntRange(min = 0, max = 99) Integer> steps,
                                                  @ForAll long base) {
        RequestIdMap<String> ids = new RequestIdMap<>(64);
        Map<Long, String> model = new HashMap<>();
        long next = base;
        int puts = 0;
        for (int step : steps) {
            if (step < 70 || model.isEmpty()) {
                // Mostly sequential; now and then an ID far off, or one already in flight (a caller's bug, still a map).
                long id = step < 3 ? next + ((long) step << 40) : step < 5 && !model.isEmpty() ? model.keySet().iterator().next() : next++;
                String value = "r" + puts++;
                assertThat(ids.put(id, value)).isEqualTo(model.put(id, value));
            } else {
                // Answer one of the newest few: the oldest stay in flight and the window outgrows the ring.
                long victim = step < 95 ? next - 1 - (step % 5) : model.keySet().iterator().next();
                assertThat(ids.remove(victim)).isEqualTo(model.remove(victim));
            }
            assertThat(ids.size()).isEqualTo(model.size());
        }
        for (Map.Entry<Long, String> e : new HashMap<>(model).entrySet()) {
            if (e.getKey() % 3 == 0) {
                assertThat(ids.remove(e.getKey())).isEqualTo(e.getValue());
                model.remove(e.getKey());
            }
        }
        assertThat(new HashSet<>(ids.removeAll())).isEqualTo(new HashSet<>(model.values()));
        assertThat(ids.isEmpty()).isTrue();
        assertThat(ids.put(base, "again")).isNull();
        assertThat(ids.remove(base)).isEqualTo("again");
    }

    @Property(tries = 50)
    void spreadIsInjectiveOnRunsOfIds(@ForAll long start) {
        Set<Long> seen = new HashSet<>();
        for (long i = 0; i < 10_000; i++) {
            assertThat(seen.add(RequestIdMap.spread(start + i))).isTrue();
        }
    }
}
