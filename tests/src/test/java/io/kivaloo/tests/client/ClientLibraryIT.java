package io.kivaloo.tests.client;

import io.kivaloo.proto.client.KvldsClient;
import io.kivaloo.proto.client.OversizeRequestException;
import io.kivaloo.proto.client.RangeCursor;
import io.kivaloo.proto.kvlds.Key;
import io.kivaloo.proto.kvlds.KvldsResponse;
import io.kivaloo.tests.chain.Chain;
import io.kivaloo.tests.chain.ChainExtension;
import io.kivaloo.tests.chain.DaemonBinaries;
import io.kivaloo.tests.chain.Role;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The client library as an application uses it, against a real chain:
 * text keys are UTF-8, an oversize SET fails alone while the requests
 * around it succeed, and a RANGE cursor streams 100,000 pairs holding no
 * more than one budget per answer.
 */
class ClientLibraryIT {

    private static final Duration DEADLINE = Duration.ofSeconds(120);

    @RegisterExtension
    final ChainExtension chains = new ChainExtension();

    private Chain start(String... kvldsOptions) throws Exception {
        DaemonBinaries binaries = DaemonBinaries.fromSystemProperties();
        binaries.assumeBuilt();
        return chains.start(Chain.builder().binaries(binaries).kvldsOptions(kvldsOptions));
    }

    @Test
    void aTextKeyIsStoredAsItsUtf8Bytes() throws Exception {
        Chain chain = start();
        KvldsClient client = chain.connect(Role.MUX);
        client.set(Key.of("café-日本"), Key.of("значение")).get(120, TimeUnit.SECONDS);

        Key value = client.get(Key.of("café-日本")).get(120, TimeUnit.SECONDS);
        assertThat(value.toUtf8String()).isEqualTo("значение");
        List<KvldsResponse.Pair> all = new ArrayList<>();
        client.cursor(Key.EMPTY, Key.EMPTY).forEachRemaining(all::add);
        assertThat(all).hasSize(1);
        assertThat(all.get(0).key().toByteArray()).containsExactly(
                'c', 'a', 'f', 0xc3, 0xa9, '-', 0xe6, 0x97, 0xa5, 0xe6, 0x9c, 0xac);
    }

    @Test
    void anOversizeSetFailsAloneAndEverythingAroundItSucceeds() throws Exception {
        Chain chain = start("-k", "16");
        KvldsClient client = chain.connect(Role.MUX);
        List<CompletableFuture<Void>> around = new ArrayList<>();
        CompletableFuture<Void> oversize = null;
        for (int i = 0; i < 2000; i++) {
            around.add(client.set(Key.of(String.format("k%05d", i)), Key.of("v" + i)));
            if (i == 1000) {
                oversize = client.set(Key.of("a key over sixteen bytes"), Key.of("v"));
            }
        }
        assertThat(oversize).failsWithin(DEADLINE).withThrowableOfType(ExecutionException.class)
                .withCauseInstanceOf(OversizeRequestException.class).withMessageContaining("(expected: <= 16)");
        CompletableFuture.allOf(around.toArray(new CompletableFuture[0])).get(120, TimeUnit.SECONDS);
        assertThat(client.connection().closeFuture()).isNotDone();
        assertThat(client.get(Key.of("k01999")).get(120, TimeUnit.SECONDS)).isEqualTo(Key.of("v1999"));
        assertThat(client.get(Key.of("a key over sixteen bytes")).get(120, TimeUnit.SECONDS)).isNull();
    }

    @Test
    void aCursorStreams100000PairsWithinItsBudget() throws Exception {
        Chain chain = start();
        KvldsClient client = chain.connect(Role.MUX);
        int pairs = 100_000;
        List<CompletableFuture<Void>> sets = new ArrayList<>();
        byte[] value = new byte[200];
        for (int i = 0; i < pairs; i++) {
            sets.add(client.set(key(i), Key.of(value)));
        }
        CompletableFuture.allOf(sets.toArray(new CompletableFuture[0])).get(300, TimeUnit.SECONDS);
        sets.clear();

        long budget = 64 * 1024;
        RangeCursor cursor = client.withRequestTimeout(DEADLINE).cursor(Key.EMPTY, Key.EMPTY, budget);
        int seen = 0;
        while (cursor.hasNext()) {
            assertThat(cursor.next().key()).isEqualTo(key(seen));
            seen++;
        }
        assertThat(seen).isEqualTo(pairs);
        long largestPair = 2 + 2 * Key.MAX_LENGTH;
        assertThat(cursor.largestAnswerBytes()).as("bytes of the largest answer held")
                .isPositive().isLessThanOrEqualTo(budget + largestPair);

        assertThat(client.stream(key(500), key(600)).map(KvldsResponse.Pair::key))
                .containsExactlyElementsOf(java.util.stream.IntStream.range(500, 600).mapToObj(ClientLibraryIT::key)
                        .collect(java.util.stream.Collectors.toList()));
    }

    private static Key key(int i) {
        return Key.of(String.format("key%08d", i));
    }
}
