package io.kivaloo.tests.durability;

import io.kivaloo.proto.kvlds.Key;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * What a durability run may find under each key after crashes.
 *
 * <p>For every key: the state of the last <em>acknowledged</em> write (a value,
 * or absent after a DELETE or before any write), and every write sent after
 * it whose outcome is unknown (no answer yet, or its connection died). kvlds
 * applies one connection's writes in order (kvlds.md §6.4), so an
 * acknowledgement of write n also settles every earlier write of that key on
 * that connection; the stored state must then be the acknowledged one or one
 * of the later unknown ones. Values are unique per write, so a value that was
 * never written, or an acknowledged write that vanished, is caught.
 *
 * <p>Sequence numbers grow across connections; a key is written by one writer
 * only. Thread-safe: answers arrive on client event loops.
 */
public final class WriteLedger {

    private final Map<Key, History> histories = new HashMap<>();
    private long nextSequence;
    /** Writes acknowledged so far, for the run's summary. */
    private long acknowledgedWrites;
    /** Keys compared with the store, summed over every check, for the run's summary. */
    private long keysChecked;

    /** Records a write about to be sent: {@code value} null for DELETE. Returns its sequence number. */
    synchronized long sent(Key key, Key value) {
        long sequence = nextSequence++;
        histories.computeIfAbsent(key, k -> new History()).unknown.put(sequence, new State(value));
        return sequence;
    }

    /** Records the acknowledgement of write {@code sequence} of {@code key}. */
    synchronized void acknowledged(Key key, long sequence) {
        History history = histories.get(key);
        if (sequence <= history.acknowledgedSequence) {
            return;
        }
        State state = history.unknown.get(sequence);
        acknowledgedWrites++;
        history.acknowledgedSequence = sequence;
        history.acknowledged = state;
        history.unknown.headMap(sequence, true).clear();
    }

    /**
     * Checks what the store holds now ({@code stored}: every pair of the
     * writers' keyspace) and, if it is allowed, takes it as the new
     * acknowledged state of every key: the connections of the unknown writes
     * are gone, so none of them can still take effect.
     *
     * @return the violations, one line each; empty if none
     */
    public synchronized List<String> verifyAndSettle(Map<Key, Key> stored) {
        List<String> violations = new ArrayList<>();
        keysChecked += histories.size();
        for (Map.Entry<Key, History> entry : histories.entrySet()) {
            History history = entry.getValue();
            State found = new State(stored.get(entry.getKey()));
            if (!found.equals(history.acknowledged) && !history.unknown.containsValue(found)) {
                violations.add("key " + entry.getKey() + " holds " + found + ": acknowledged " + history.acknowledged
                        + " (write " + history.acknowledgedSequence + "), unknown outcomes " + history.unknown);
            }
        }
        for (Key key : stored.keySet()) {
            if (!histories.containsKey(key)) {
                violations.add("key " + key + " was never written but holds " + stored.get(key));
            }
        }
        if (violations.isEmpty()) {
            for (Map.Entry<Key, History> entry : histories.entrySet()) {
                History history = entry.getValue();
                history.acknowledged = new State(stored.get(entry.getKey()));
                history.unknown.clear();
            }
        }
        return violations;
    }

    /** Keys with at least one acknowledged write since the ledger began. */
    public synchronized int acknowledgedKeys() {
        return (int) histories.values().stream().filter(h -> h.acknowledgedSequence >= 0).count();
    }

    /** Acknowledged writes since the ledger began. */
    public synchronized long acknowledgedWrites() {
        return acknowledgedWrites;
    }

    /** Keys compared with the store, summed over every {@link #verifyAndSettle}. */
    public synchronized long keysChecked() {
        return keysChecked;
    }

    private static final class History {
        State acknowledged = State.ABSENT;
        long acknowledgedSequence = -1;
        final TreeMap<Long, State> unknown = new TreeMap<>();
    }

    /** A key's state: a value, or absent ({@code value} null). */
    private static final class State {
        static final State ABSENT = new State(null);
        final Key value;

        State(Key value) {
            this.value = value;
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof State && Objects.equals(value, ((State) o).value);
        }

        @Override
        public int hashCode() {
            return Objects.hashCode(value);
        }

        @Override
        public String toString() {
            return value == null ? "absent" : value.toString();
        }
    }
}
