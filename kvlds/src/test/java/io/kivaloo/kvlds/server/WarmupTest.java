package io.kivaloo.kvlds.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.kivaloo.kvlds.cleaner.CleaningPolicy;
import io.kivaloo.proto.daemon.StartupException;
import io.kivaloo.proto.net.KivalooAddress;
import org.junit.jupiter.api.Test;

/**
 * The warm-up's bounds, by what it did, never by how long it took: it stops
 * at its work bound, or after the round in which its time bound passed.
 */
class WarmupTest {

    private static KvldsLimits limits(int blockSize, Integer kmax, Integer vmax) throws StartupException {
        return KvldsLimits.resolve(new KvldsConfig(KivalooAddress.parse("/tmp/k.sock"), KivalooAddress.parse("/tmp/l.sock"),
                1024L, null, kmax, vmax, CleaningPolicy.withStorageCost(1.0), 0, 0, false, true), blockSize);
    }

    @Test
    void stopsAtItsWorkBoundWithEveryRequestAnswered() throws StartupException {
        long bound = 5L * Warmup.WINDOW + 100;
        Warmup.Report r = Warmup.run(limits(4096, null, null), CleaningPolicy.withStorageCost(1.0), bound, Long.MAX_VALUE);
        assertThat(r.requests()).isEqualTo(bound);
        assertThat(r.rounds()).isEqualTo(6);
        assertThat(r.stoppedByTime()).isFalse();
        assertThat(r.batches()).as("group commits on the private tree").isPositive();
        assertThat(r.pagesWritten()).isPositive();
    }

    @Test
    void stopsAfterOneRoundOnceItsTimeBoundHasPassed() throws StartupException {
        Warmup.Report r = Warmup.run(limits(4096, null, null), CleaningPolicy.withStorageCost(1.0), Long.MAX_VALUE, 0);
        assertThat(r.rounds()).isEqualTo(1);
        assertThat(r.requests()).isEqualTo(Warmup.WINDOW);
        assertThat(r.stoppedByTime()).isTrue();
    }

    @Test
    void keepsWithinShortKeyAndValueLimitsOnSmallPages() throws StartupException {
        // An over-long key or value would drop the warm-up's connection, and the round would end with requests owed.
        Warmup.Report r = Warmup.run(limits(512, 4, 6), CleaningPolicy.withStorageCost(1.0), 8L * Warmup.WINDOW, Long.MAX_VALUE);
        assertThat(r.requests()).isEqualTo(8L * Warmup.WINDOW);
    }
}
