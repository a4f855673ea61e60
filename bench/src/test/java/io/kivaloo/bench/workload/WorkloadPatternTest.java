package io.kivaloo.bench.workload;

import io.kivaloo.bench.data.GeneratedPairInput;
import io.kivaloo.bench.data.GlibcRandom;
import io.kivaloo.bench.data.PairGroups;
import io.kivaloo.bench.data.PairMaker;
import io.kivaloo.bench.measure.SecondCounter;
import io.kivaloo.proto.kvlds.Key;
import io.kivaloo.proto.kvlds.KvldsRequest;
import org.junit.jupiter.api.Test;

import java.util.Arrays;

import static org.assertj.core.api.Assertions.assertThat;

/** The request sequences of the C programs, checked without a server. */
class WorkloadPatternTest {

    private final SecondCounter counter = new SecondCounter(0, 1, () -> 0L);
    private final PairMaker maker = new PairMaker();

    @Test
    void randomReadUsesGlibcRandomModuloN() {
        RandomRead workload = new RandomRead(1_000_000, counter);
        GlibcRandom random = new GlibcRandom();
        for (int i = 0; i < 5; i++) {
            long n = random.next() % 1_000_000;
            KvldsRequest.Get get = (KvldsRequest.Get) workload.next();
            assertThat(get.key()).isEqualTo(Key.wrap(maker.key(n >> 16, n & 0xFFFF)));
        }
    }

    @Test
    void randomMixedIsGetGetSetSetWithBe64OfJPlusOne() {
        RandomMixed workload = new RandomMixed(65536, counter);
        GlibcRandom random = new GlibcRandom();
        for (long j = 0; j < 8; j++) {
            long n = random.next() % 65536;
            KvldsRequest request = workload.next();
            if ((j & 2) == 0) {
                assertThat(request).isInstanceOf(KvldsRequest.Get.class);
                assertThat(((KvldsRequest.Get) request).key()).isEqualTo(Key.wrap(maker.key(0, n)));
            } else {
                KvldsRequest.Set set = (KvldsRequest.Set) request;
                assertThat(set.key()).isEqualTo(Key.wrap(maker.key(0, n)));
                byte[] expected = new byte[40];
                expected[7] = (byte) (j + 1);
                assertThat(set.value().toByteArray()).isEqualTo(expected);
            }
        }
    }

    @Test
    void hotspotReadWalksOneGroupInYOrder() {
        HotspotRead workload = new HotspotRead(4 * 65536, counter);
        long x = new GlibcRandom().next() % 4;
        for (int y = 0; y < 3; y++) {
            assertThat(((KvldsRequest.Get) workload.next()).key()).isEqualTo(Key.wrap(maker.key(x, y)));
        }
    }

    @Test
    void bulkUpdateAddsTheGenerationToValueByte39OnEachPass() throws Exception {
        BulkUpdate workload = new BulkUpdate(new GeneratedPairInput(2), counter);
        byte[] pairs = new PairGroups(2).nextGroup();
        for (int generation = 0; generation < 3; generation++) {
            for (int i = 0; i < 2; i++) {
                KvldsRequest.Set set = (KvldsRequest.Set) workload.next();
                byte[] value = Arrays.copyOfRange(pairs, i * 80 + 40, i * 80 + 80);
                value[39] += (byte) generation;
                assertThat(set.key().toByteArray()).isEqualTo(Arrays.copyOfRange(pairs, i * 80, i * 80 + 40));
                assertThat(set.value().toByteArray()).isEqualTo(value);
            }
        }
    }

    @Test
    void bulkInsertSendsEveryRecordThenStops() throws Exception {
        BulkInsert workload = new BulkInsert(new GeneratedPairInput(3), line -> { });
        for (int i = 0; i < 3; i++) {
            assertThat(workload.next()).isInstanceOf(KvldsRequest.Set.class);
        }
        assertThat(workload.next()).isNull();
    }
}
