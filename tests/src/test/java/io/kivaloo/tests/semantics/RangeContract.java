package io.kivaloo.tests.semantics;

import io.kivaloo.proto.kvlds.Key;
import io.kivaloo.proto.kvlds.KvldsResponse;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;

/**
 * Checks one RANGE answer against the contract of kvlds.md §2.2, given the
 * exact contents of the range at the time (the caller's keys are not being
 * modified while it asks):
 * pairs strictly increasing, inside [start, end), equal to the stored ones;
 * no gaps below {@code next}; progress; the byte budget (one pair may always
 * come back); {@code next} = end (or "") once the range is covered.
 */
final class RangeContract {

    /**
     * With {@code -Dkivaloo.originalQuirks=true} the suites run against the C
     * originals: their RANGE also returns a key equal to a non-empty end
     * (kvlds.md §2.2), which is then dropped before the check.
     */
    static final boolean ORIGINAL_QUIRKS = Boolean.getBoolean("kivaloo.originalQuirks");

    private RangeContract() {
    }

    /** Null if {@code answer} is correct, else what is wrong. */
    static String violation(Key start, Key end, long maxBytes, KvldsResponse.Range answer,
                            NavigableMap<Key, Key> stored) {
        List<KvldsResponse.Pair> pairs = answer.pairs();
        if (ORIGINAL_QUIRKS && !end.isEmpty()) {
            pairs = pairs.stream().filter(p -> !p.key().equals(end)).collect(java.util.stream.Collectors.toList());
        }
        Key next = answer.next();
        String where = "RANGE start=" + start + " end=" + end + " max=" + maxBytes + " -> next=" + next
                + " pairs=" + pairs.size() + ": ";
        long bytes = 0;
        Key previous = null;
        for (KvldsResponse.Pair pair : pairs) {
            if (previous != null && pair.key().compareTo(previous) <= 0) {
                return where + "keys not strictly increasing at " + pair.key();
            }
            if (pair.key().compareTo(start) < 0 || (!end.isEmpty() && pair.key().compareTo(end) >= 0)) {
                return where + "key " + pair.key() + " outside [start, end)";
            }
            Key expected = stored.get(pair.key());
            if (!pair.value().equals(expected)) {
                return where + "key " + pair.key() + " returned value " + pair.value() + ", stored " + expected;
            }
            bytes += pair.serializedSize();
            previous = pair.key();
        }
        if (pairs.size() > 1 && bytes > maxBytes) {
            return where + pairs.size() + " pairs of " + bytes + " bytes exceed the budget";
        }
        boolean toInfinity = next.isEmpty();
        if (!toInfinity && next.compareTo(start) <= 0 && !(next.equals(end) && !end.isEmpty())) {
            return where + "no progress: next <= start";
        }
        if (!end.isEmpty() && (toInfinity || next.compareTo(end) > 0)) {
            return where + "next beyond a non-empty end";
        }
        // No gaps: every stored key in [start, next) came back.
        NavigableMap<Key, Key> snapshot = new java.util.TreeMap<>(stored);
        Map<Key, Key> covered = toInfinity ? snapshot.tailMap(start, true)
                : next.compareTo(start) <= 0 ? Map.of() : snapshot.subMap(start, true, next, false);
        List<Key> returned = new ArrayList<>();
        pairs.forEach(p -> returned.add(p.key()));
        if (!returned.equals(new ArrayList<>(covered.keySet()))) {
            return where + "gap: stored keys in [start, next) " + covered.keySet() + " but returned " + returned;
        }
        return null;
    }
}
