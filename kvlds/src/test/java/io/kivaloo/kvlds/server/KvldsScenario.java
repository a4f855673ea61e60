package io.kivaloo.kvlds.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.kivaloo.proto.client.KvldsClient;
import io.kivaloo.proto.kvlds.Key;
import io.kivaloo.proto.kvlds.KvldsResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * The original test program {@code tests/kvlds/main.c} (tests-and-bench.md
 * §4), through proto's client: the fourteen-step mutation sequence, then N
 * pipelined SETs, N pipelined GETs, and a RANGE iteration that DELETEs every
 * key it returns, pipelined while it goes on.
 */
final class KvldsScenario {

    static final long DEADLINE_SECONDS = 120;

    private KvldsScenario() {
    }

    static <T> T await(CompletableFuture<T> f) throws Exception {
        return f.get(DEADLINE_SECONDS, TimeUnit.SECONDS);
    }

    static void run(KvldsClient c, int n) throws Exception {
        await(c.params());
        mutationSequence(c);
        createMany(c, n);
    }

    static void mutationSequence(KvldsClient c) throws Exception {
        Key key = Key.of("key");
        Key value = Key.of("value");
        byte[] v2 = new byte[100];
        for (int i = 0; i < 100; i++) {
            v2[i] = (byte) i;
        }
        Key value2 = Key.wrap(v2);
        await(c.set(key, value));
        assertThat(await(c.get(key))).isEqualTo(value);
        await(c.set(key, value2));
        assertThat(await(c.get(key))).isEqualTo(value2);
        assertThat(await(c.add(key, value))).as("3 ADD no-op").isFalse();
        assertThat(await(c.get(key))).isEqualTo(value2);
        await(c.delete(key));
        assertThat(await(c.get(key))).isNull();
        await(c.delete(key));
        assertThat(await(c.get(key))).isNull();
        assertThat(await(c.modify(key, value))).as("6 MODIFY no-op").isFalse();
        assertThat(await(c.get(key))).isNull();
        assertThat(await(c.add(key, value))).as("7 ADD").isTrue();
        assertThat(await(c.get(key))).isEqualTo(value);
        assertThat(await(c.modify(key, value))).as("8 MODIFY").isTrue();
        assertThat(await(c.get(key))).isEqualTo(value);
        assertThat(await(c.cas(key, value2, value2))).as("9 CAS no-op").isFalse();
        assertThat(await(c.get(key))).isEqualTo(value);
        assertThat(await(c.cas(key, value, value2))).as("10 CAS").isTrue();
        assertThat(await(c.get(key))).isEqualTo(value2);
        assertThat(await(c.cad(key, value))).as("11 CAD no-op").isFalse();
        assertThat(await(c.get(key))).isEqualTo(value2);
        assertThat(await(c.cad(key, value2))).as("12 CAD").isTrue();
        assertThat(await(c.get(key))).isNull();
        assertThat(await(c.cas(key, value, value2))).as("13 CAS no-op").isFalse();
        assertThat(await(c.get(key))).isNull();
        assertThat(await(c.cad(key, value))).as("14 CAD no-op").isFalse();
        assertThat(await(c.get(key))).isNull();
    }

    static Key be64(long i) {
        byte[] b = new byte[8];
        for (int k = 0; k < 8; k++) {
            b[k] = (byte) (i >>> (56 - 8 * k));
        }
        return Key.wrap(b);
    }

    static void createMany(KvldsClient c, int n) throws Exception {
        List<CompletableFuture<Void>> sets = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            sets.add(c.set(be64(i), Key.of(Integer.toString(i))));
        }
        await(CompletableFuture.allOf(sets.toArray(new CompletableFuture[0])));
        List<CompletableFuture<Key>> gets = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            gets.add(c.get(be64(i)));
        }
        for (int i = 0; i < n; i++) {
            assertThat(await(gets.get(i))).as("GET %s", i).isEqualTo(Key.of(Integer.toString(i)));
        }
        Key start = be64(0);
        Key end = be64(n);
        List<CompletableFuture<Void>> deletes = new ArrayList<>(n);
        int seen = 0;
        while (start.compareTo(end) < 0) {
            KvldsResponse.Range r = await(c.range(start, end, 0x100000));
            for (KvldsResponse.Pair p : r.pairs()) {
                assertThat(p.key()).isEqualTo(be64(seen));
                assertThat(p.value()).isEqualTo(Key.of(Integer.toString(seen)));
                seen++;
                deletes.add(c.delete(p.key()));
            }
            start = r.next();
        }
        assertThat(seen).isEqualTo(n);
        await(CompletableFuture.allOf(deletes.toArray(new CompletableFuture[0])));
        assertThat(await(c.range(Key.EMPTY, Key.EMPTY, 0x100000)).pairs()).as("empty after deletes").isEmpty();
    }
}
