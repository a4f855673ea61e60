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

    @Property(tries = 50)
    void spreadIsInjectiveOnRunsOfIds(@ForAll long start) {
        Set<Long> seen = new HashSet<>();
        for (long i = 0; i < 10_000; i++) {
            assertThat(seen.add(RequestIdMap.spread(start + i))).isTrue();
        }
    }
}
