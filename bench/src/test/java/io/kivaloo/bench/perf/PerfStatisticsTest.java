package io.kivaloo.bench.perf;

import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class PerfStatisticsTest {

    /** A clock the test moves by hand. */
    static final class ManualClock extends Clock {
        Instant now;

        ManualClock(Instant now) {
            this.now = now;
        }

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    }

    @Test
    void lineListsTypesInNumericOrderWithCountMeanQuantilesAndMax() throws Exception {
        ManualClock clock = new ManualClock(Instant.parse("2026-11-24T03:15:00Z"));
        List<String> lines = new ArrayList<>();
        PerfStatistics stats = new PerfStatistics(clock, 60, lines::add);
        for (int i = 1; i <= 20; i++) {
            stats.add(0x130, 2 * i / 1e6); // KVLDS_GET: 2, 4, .., 40 µs
        }
        stats.add(0x100, 0.000010);
        stats.add(7, 0.000045);
        stats.add(0xFFFFFFFF, 0.001);
        stats.flush();
        assertThat(lines).containsExactly(
                "|UNKNOWN|000001|0000.045|0000.045|0000.045|0000.045"
                        + "|KVLDS_PARAMS|000001|0000.010|0000.010|0000.010|0000.010"
                        + "|KVLDS_GET|000020|0000.021|0000.021|0000.040|0000.040"
                        + "|UNKNOWN|000001|0001.000|0001.000|0001.000|0001.000");
    }

    @Test
    void newPeriodFlushesBeforeTheMeasurementIsAdded() throws Exception {
        ManualClock clock = new ManualClock(Instant.parse("2026-11-24T03:15:59Z"));
        List<String> lines = new ArrayList<>();
        PerfStatistics stats = new PerfStatistics(clock, 60, lines::add);
        stats.add(0x110, 0.001);
        stats.poke();
        assertThat(lines).isEmpty();
        clock.now = Instant.parse("2026-11-24T03:16:00Z");
        stats.add(0x110, 0.002); // finished in the new period: reported there
        assertThat(lines).containsExactly("|KVLDS_SET|000001|0001.000|0001.000|0001.000|0001.000");
        stats.poke();
        assertThat(lines).hasSize(1);
        clock.now = Instant.parse("2026-11-24T03:17:00Z");
        stats.poke();
        assertThat(lines).containsExactly("|KVLDS_SET|000001|0001.000|0001.000|0001.000|0001.000",
                "|KVLDS_SET|000001|0002.000|0002.000|0002.000|0002.000");
        clock.now = Instant.parse("2026-11-24T03:18:00Z");
        stats.poke(); // an empty period still gives a line
        assertThat(lines.get(2)).isEmpty();
    }

    @Test
    void typeNamesFollowTheTable() {
        assertThat(RequestTypes.name(0x00000004)).isEqualTo("LBS_PARAMS2");
        assertThat(RequestTypes.name(0x00000131)).isEqualTo("KVLDS_RANGE");
        assertThat(RequestTypes.name(0x00010120)).isEqualTo("DDBKV_DELETE");
        assertThat(RequestTypes.name(0x00000132)).isEqualTo("UNKNOWN");
        assertThat(RequestTypes.of(new byte[] {0, 0, 1, 0x30, 9})).isEqualTo(0x130);
        assertThat(RequestTypes.of(new byte[] {1, 2, 3})).isEqualTo(RequestTypes.SHORT_RECORD);
    }
}
