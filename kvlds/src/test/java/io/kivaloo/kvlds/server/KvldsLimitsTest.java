package io.kivaloo.kvlds.server;

import io.kivaloo.kvlds.cleaner.CleaningPolicy;
import io.kivaloo.proto.daemon.StartupException;
import io.kivaloo.proto.net.KivalooAddress;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The cache must fit the heap: refused when it cannot, a warning when it is tight. */
class KvldsLimitsTest {

    private static KvldsLimits limits(long cachePages, int blockSize) throws StartupException {
        KvldsConfig config = new KvldsConfig(KivalooAddress.parse("/tmp/k.sock"), KivalooAddress.parse("/tmp/l.sock"),
                cachePages, null, null, null, CleaningPolicy.withStorageCost(1.0), 0, 0, false, false);
        return KvldsLimits.resolve(config, blockSize);
    }

    @Test
    void aCacheLargerThanTheHeapIsRefusedNamingBoth() throws StartupException {
        KvldsLimits limits = limits(65536, 4096); // 256 MiB of pages
        assertThatThrownBy(() -> limits.checkHeap(200L << 20))
                .isInstanceOf(StartupException.class)
                .hasMessage("a cache of 65536 pages of 4096 bytes (256 MiB) does not fit in the JVM's heap of 200 MiB:"
                        + " give a smaller -C/-c, or a larger -Xmx in KIVALOO_JAVA_OPTS");
    }

    @Test
    void aTightHeapWarnsAndAnAmpleOneIsSilent() throws StartupException {
        KvldsLimits limits = limits(65536, 4096);
        assertThat(limits.checkHeap(400L << 20)).contains("tight");
        assertThat(limits.checkHeap(768L << 20)).isNull();
    }
}
