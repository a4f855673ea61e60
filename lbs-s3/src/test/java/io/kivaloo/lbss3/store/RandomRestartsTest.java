package io.kivaloo.lbss3.store;

import io.kivaloo.lbss3.s3.MemoryObjectStore;
import io.kivaloo.proto.lbs.store.StoreFailedException;
import org.junit.jupiter.api.RepeatedTest;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static io.kivaloo.lbss3.store.Instance.BLOCK_SIZE;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * A seeded random life of a store against a model: APPENDs, FREEs, clean
 * restarts, kill -9 with a PUT in flight that lands at a random later moment
 * (or never), lost PUT answers. After every restart each acknowledged block
 * at or above the highest FREE reads back exactly, an unacknowledged APPEND
 * is there whole or not at all, and no key is ever written twice.
 * {@code -Dlbss3.seed=N} replays a run (the seed is printed).
 */
class RandomRestartsTest {

    private static final int STEPS = 80;

    private final MemoryObjectStore bucket = new MemoryObjectStore();
    private final TreeMap<Long, byte[]> model = new TreeMap<>();
    /** PUTs of dead instances still in flight: each lands when released. */
    private final List<Instance> inFlight = new ArrayList<>();
    private long freed;

    @RepeatedTest(3)
    void randomLifeLosesNothingAcknowledged() throws Exception {
        long seed = Long.getLong("lbss3.seed", new Random().nextLong());
        System.out.println("RandomRestartsTest seed=" + seed + " (replay with -Dlbss3.seed=" + seed + ")");
        Random random = new Random(seed);
        Instance current = Instance.start(bucket);
        for (int step = 0; step < STEPS; step++) {
            int op = random.nextInt(12);
            if (op < 6) {
                int count = 1 + random.nextInt(4);
                long first = current.store.nextBlock();
                current.store.append(first, Blocks.of(first, count, step, BLOCK_SIZE), count);
                remember(first, count, step);
            } else if (op < 7) {
                long below = current.store.nextBlock() == 0 ? 0 : random.nextLong(current.store.nextBlock() + 1);
                current.store.free(below);
                freed = Math.max(freed, below);
            } else if (op < 8) {
                current.stop();
                current = restart(-1, -1, 0, seed);
            } else if (op < 10) {
                current = crashWithPutInFlight(current, step, random, seed);
            } else if (op < 11 && !inFlight.isEmpty()) {
                inFlight.remove(random.nextInt(inFlight.size())).view.releaseHeldPut();
            } else {
                long first = current.store.nextBlock();
                int count = 1 + random.nextInt(3);
                current.view.loseAnswerOfNthPut(1);
                Instance failing = current;
                byte[] data = Blocks.of(first, count, step, BLOCK_SIZE);
                assertThatThrownBy(() -> failing.store.append(first, data, count))
                        .as("an APPEND whose answer was lost is not acknowledged").isInstanceOf(StoreFailedException.class);
                current.crash(); // fail-stop: the daemon exits, the next start decides
                current = restart(first, count, step, seed);
            }
        }
        for (Instance dead : inFlight) {
            dead.view.releaseHeldPut();
        }
        current.stop();
        restart(-1, -1, 0, seed).stop();
        assertThat(bucket.keysWrittenTwice()).as("seed " + seed).isEmpty();
    }

    private Instance crashWithPutInFlight(Instance current, int step, Random random, long seed) throws Exception {
        long first = current.store.nextBlock();
        int count = 1 + random.nextInt(3);
        byte[] data = Blocks.of(first, count, step, BLOCK_SIZE);
        current.view.holdPut(key -> key.contains("/blocks/"));
        Instance dying = current;
        CompletableFuture<Long> append = CompletableFuture.supplyAsync(() -> {
            try {
                return dying.store.append(first, data, count);
            } catch (IOException e) {
                return -1L;
            }
        });
        dying.view.awaitHeldPut();
        dying.crash();
        boolean landsBeforeRestart = random.nextInt(3) == 0;
        if (landsBeforeRestart) {
            dying.view.releaseHeldPut();
            assertThat(append.get(2, TimeUnit.MINUTES)).as("a dead process acknowledges nothing").isEqualTo(-1L);
        } else {
            inFlight.add(dying);
        }
        return restart(first, count, step, seed);
    }

    /**
     * Starts the next generation and checks it against the model; an
     * unacknowledged APPEND of {@code count} blocks at {@code first} may be
     * there, whole.
     */
    private Instance restart(long first, int count, int tag, long seed) throws IOException {
        Instance next = Instance.start(bucket);
        long expected = model.isEmpty() ? 0 : model.lastKey() + 1;
        long found = next.store.nextBlock();
        if (first >= 0 && found == first + count) {
            remember(first, count, tag); // it landed before the listing: part of the store now
        } else {
            assertThat(found).as("nextBlock after restart, seed " + seed).isEqualTo(expected);
        }
        for (var e : model.tailMap(freed).entrySet()) {
            assertThat(next.store.read(e.getKey())).as("block %d after restart, seed %d", e.getKey(), seed)
                    .isEqualTo(e.getValue());
        }
        return next;
    }

    private void remember(long first, int count, int tag) {
        for (int i = 0; i < count; i++) {
            model.put(first + i, Blocks.block(first + i, tag, BLOCK_SIZE));
        }
    }
}
