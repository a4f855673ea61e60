package io.kivaloo.tests.semantics;

import io.kivaloo.proto.client.BlockingKvldsClient;
import io.kivaloo.proto.client.KvldsClient;
import io.kivaloo.proto.kvlds.Key;
import io.kivaloo.proto.kvlds.KvldsResponse;
import io.kivaloo.tests.chain.Chain;
import io.kivaloo.tests.chain.ChainExtension;
import io.kivaloo.tests.chain.DaemonBinaries;
import io.kivaloo.tests.chain.Role;
import io.kivaloo.tests.chain.Wiring;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.util.ArrayList;
import java.util.List;
import java.util.NavigableMap;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The chain answers like a key-value store: a long seeded random sequence of
 * every request type from several pipelining clients through mux, checked
 * against a model (see {@link ModelCheckedClient}), over Unix sockets and
 * over TCP; then a full scan of the whole keyspace and a restart of the whole
 * chain, after which everything is still there.
 *
 * <p>System properties: {@code kivaloo.seed} replays a run (the seed is
 * printed), {@code kivaloo.semantics.operations} sets the requests per client.
 */
class SemanticsIT {

    private static final int CLIENTS = 4;
    private static final int OPERATIONS_PER_CLIENT = Integer.getInteger("kivaloo.semantics.operations", 3000);

    @RegisterExtension
    final ChainExtension chains = new ChainExtension();

    /**
     * The programs the chains run: the system properties' (lbs by default).
     * A subclass runs the same scenarios on another block store
     * ({@code *OnLbsS3IT}).
     */
    DaemonBinaries binaries() {
        return DaemonBinaries.fromSystemProperties();
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(Wiring.class)
    void randomOperationsFromPipeliningClientsMatchTheModel(Wiring wiring) throws Exception {
        binaries().assumeBuilt();
        long seed = Long.getLong("kivaloo.seed", new Random().nextLong());
        System.out.println("SemanticsIT " + wiring + " seed=" + seed + " (replay with -Dkivaloo.seed=" + seed + ")");
        Chain chain = chains.start(Chain.builder().binaries(binaries()).wiring(wiring));
        KvldsResponse.Params params = chain.client().params();
        assertThat(params.maxKeyLength()).as("kmax").isGreaterThanOrEqualTo(8);

        NavigableMap<Key, Key> expected = new TreeMap<>();
        ExecutorService threads = Executors.newFixedThreadPool(CLIENTS);
        try {
            List<Future<KvModel>> runs = new ArrayList<>();
            Random seeds = new Random(seed);
            for (int i = 0; i < CLIENTS; i++) {
                KvldsClient client = chain.connect(Role.MUX);
                // Prefixes spread over the byte range, the last one 0xFF so its ranges may end at +inf.
                int prefix = i == CLIENTS - 1 ? 0xFF : i * 0x50;
                ModelCheckedClient checked = new ModelCheckedClient(client, prefix, i == CLIENTS - 1, params,
                        seeds.nextLong());
                runs.add(threads.submit(() -> checked.run(OPERATIONS_PER_CLIENT)));
            }
            for (Future<KvModel> run : runs) {
                expected.putAll(run.get().all());
            }
        } finally {
            threads.shutdownNow();
        }

        BlockingKvldsClient reader = chain.client();
        assertThat(reader.scan(Key.EMPTY, Key.EMPTY)).as("full scan after the run, seed " + seed)
                .containsExactlyElementsOf(pairs(expected));

        // The same data after a clean restart of every daemon (SIGTERM, start on the same directory).
        chain.stop(Role.MUX);
        chain.stop(Role.KVLDS);
        chain.stop(Role.BLOCK_STORE);
        for (Role role : Role.values()) {
            chain.start(role);
        }
        assertThat(chain.client().scan(Key.EMPTY, Key.EMPTY)).as("full scan after restarting the chain, seed " + seed)
                .containsExactlyElementsOf(pairs(expected));
    }

    /** The fourteen-step sequence of the original tests/kvlds (tests-and-bench.md §4), through mux. */
    @Test
    void originalMutationSequence() throws Exception {
        binaries().assumeBuilt();
        Chain chain = chains.start(Chain.builder().binaries(binaries()));
        BlockingKvldsClient c = chain.client();
        Key key = Key.of("key");
        Key value = Key.of("value");
        byte[] hundred = new byte[100];
        for (int i = 0; i < hundred.length; i++) {
            hundred[i] = (byte) i;
        }
        Key value2 = Key.of(hundred);
        c.set(key, value);
        assertThat(c.get(key)).isEqualTo(value);
        c.set(key, value2);
        assertThat(c.get(key)).isEqualTo(value2);
        assertThat(c.add(key, value)).isFalse();
        assertThat(c.get(key)).isEqualTo(value2);
        c.delete(key);
        assertThat(c.get(key)).isNull();
        c.delete(key);
        assertThat(c.get(key)).isNull();
        assertThat(c.modify(key, value)).isFalse();
        assertThat(c.get(key)).isNull();
        assertThat(c.add(key, value)).isTrue();
        assertThat(c.get(key)).isEqualTo(value);
        assertThat(c.modify(key, value)).isTrue();
        assertThat(c.get(key)).isEqualTo(value);
        assertThat(c.cas(key, value2, value2)).isFalse();
        assertThat(c.get(key)).isEqualTo(value);
        assertThat(c.cas(key, value, value2)).isTrue();
        assertThat(c.get(key)).isEqualTo(value2);
        assertThat(c.cad(key, value)).isFalse();
        assertThat(c.get(key)).isEqualTo(value2);
        assertThat(c.cad(key, value2)).isTrue();
        assertThat(c.get(key)).isNull();
        assertThat(c.cas(key, value, value2)).isFalse();
        assertThat(c.get(key)).isNull();
        assertThat(c.cad(key, value)).isFalse();
        assertThat(c.get(key)).isNull();
    }

    private static List<KvldsResponse.Pair> pairs(NavigableMap<Key, Key> map) {
        List<KvldsResponse.Pair> out = new ArrayList<>(map.size());
        map.forEach((k, v) -> out.add(new KvldsResponse.Pair(k, v)));
        return out;
    }
}
