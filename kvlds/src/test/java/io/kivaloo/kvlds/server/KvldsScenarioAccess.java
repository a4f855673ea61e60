package io.kivaloo.kvlds.server;

import io.kivaloo.proto.client.KvldsClient;
import io.kivaloo.proto.kvlds.Key;

/** {@link KvldsScenario} for tests in other packages. */
public final class KvldsScenarioAccess {

    private KvldsScenarioAccess() {
    }

    public static void run(KvldsClient c, int n) throws Exception {
        KvldsScenario.run(c, n);
    }

    public static Key be64(long i) {
        return KvldsScenario.be64(i);
    }
}
