package io.kivaloo.cli;

import io.kivaloo.proto.kvlds.Key;
import io.kivaloo.proto.kvlds.KvldsRequest;
import io.kivaloo.proto.kvlds.KvldsResponse;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What the CLI does with answers a real chain rarely gives: a scripted
 * server shows that RANGE iteration follows {@code next}, drops a key equal
 * to END (the C kvlds's deviation), refuses to loop or print out of order,
 * that a pair over the server's limits is refused with nothing but PARAMS
 * sent, and that a load stops on a failed SET.
 */
class OddServerAnswersTest {

    private static final long DEADLINE_SECONDS = 60;
    private static final KvldsResponse.Params WIRE_LIMITS = new KvldsResponse.Params(255, 255);

    @TempDir
    Path directory;

    @Test
    void rangeFollowsNextOnePairPerAnswerToTheEnd() throws Exception {
        NavigableMap<Key, Key> store = new TreeMap<>();
        for (String k : List.of("a", "b", "c", "d")) {
            store.put(key(k), key("v" + k));
        }
        try (StubKvlds stub = new StubKvlds(directory, WIRE_LIMITS, onePairPerRange(store))) {
            CliRun run = run("-t", stub.address(), "range");
            assertThat(run.status()).as(run.toString()).isZero();
            assertThat(run.stdout()).isEqualTo("a\tva\nb\tvb\nc\tvc\nd\tvd\n");
            assertThat(stub.requests()).filteredOn(r -> r instanceof KvldsRequest.Range).hasSize(4);
        }
    }

    @Test
    void rangeDropsAKeyEqualToEndAsTheCKvldsMayReturnIt() throws Exception {
        Function<KvldsRequest, KvldsResponse> script = request -> new KvldsResponse.Range(key("c"),
                List.of(pair("a", "1"), pair("b", "2"), pair("c", "3")));
        try (StubKvlds stub = new StubKvlds(directory, WIRE_LIMITS, script)) {
            CliRun run = run("-t", stub.address(), "range", "a", "c");
            assertThat(run.status()).as(run.toString()).isZero();
            assertThat(run.stdout()).isEqualTo("a\t1\nb\t2\n");
        }
    }

    @Test
    void aRangeThatMakesNoProgressIsExitThreeNotALoop() throws Exception {
        Function<KvldsRequest, KvldsResponse> script = request -> new KvldsResponse.Range(key("b"), List.of());
        try (StubKvlds stub = new StubKvlds(directory, WIRE_LIMITS, script)) {
            CliRun run = run("-t", stub.address(), "range", "b");
            assertThat(run.status()).as(run.toString()).isEqualTo(ExitStatus.FAILURE);
            assertThat(run.errorLines()).hasSize(1);
            assertThat(run.errorLines().get(0)).contains("made no progress");
        }
    }

    @Test
    void aRangeAnswerOutOfOrderIsExitThree() throws Exception {
        Function<KvldsRequest, KvldsResponse> script = request -> new KvldsResponse.Range(Key.EMPTY,
                List.of(pair("b", "1"), pair("a", "2")));
        try (StubKvlds stub = new StubKvlds(directory, WIRE_LIMITS, script)) {
            CliRun run = run("-t", stub.address(), "range");
            assertThat(run.status()).as(run.toString()).isEqualTo(ExitStatus.FAILURE);
            assertThat(run.errorLines()).hasSize(1);
            assertThat(run.errorLines().get(0)).contains("out of order");
        }
    }

    @Test
    void aPairOverTheServersLimitsSendsNothingButParams() throws Exception {
        Function<KvldsRequest, KvldsResponse> script = request -> KvldsResponse.Status.OK;
        try (StubKvlds stub = new StubKvlds(directory, new KvldsResponse.Params(4, 8), script)) {
            for (String[] command : List.of(new String[] {"set", "12345", "v"}, new String[] {"add", "k", "123456789"},
                    new String[] {"modify", "12345", "v"}, new String[] {"cas", "k", "old", "123456789"})) {
                String[] args = new String[command.length + 2];
                args[0] = "-t";
                args[1] = stub.address();
                System.arraycopy(command, 0, args, 2, command.length);
                CliRun run = run(args);
                assertThat(run.status()).as(run.toString()).isEqualTo(ExitStatus.USAGE);
                assertThat(run.errorLines()).as(run.toString()).hasSize(1);
                assertThat(run.errorLines().get(0)).contains("from the server's PARAMS");
            }
            assertThat(stub.requests()).as("nothing but PARAMS was sent").isNotEmpty()
                    .allMatch(r -> r instanceof KvldsRequest.Params);
        }
    }

    @Test
    void aLoadStopsOnAFailedSetWithExitThree() throws Exception {
        AtomicInteger sets = new AtomicInteger();
        Function<KvldsRequest, KvldsResponse> script = request -> {
            // The third SET closes the connection, as a kvlds that refuses a request does.
            return sets.incrementAndGet() == 3 ? null : KvldsResponse.Status.OK;
        };
        StringBuilder input = new StringBuilder();
        for (int i = 0; i < 100; i++) {
            input.append("k").append(i).append("\tv\n");
        }
        try (StubKvlds stub = new StubKvlds(directory, WIRE_LIMITS, script)) {
            CliRun run = CompletableFuture.supplyAsync(() -> CliRun.run(Map.of(), directory, input.toString(),
                    "-t", stub.address(), "load")).get(DEADLINE_SECONDS, TimeUnit.SECONDS);
            assertThat(run.status()).as(run.toString()).isEqualTo(ExitStatus.FAILURE);
            assertThat(run.errorLines()).as(run.toString()).hasSize(1);
            // SETs are pipelined: how many answers arrived before the close was noticed is 0 to 2.
            assertThat(run.errorLines().get(0)).matches("kivaloo-cli: SET \\(after [0-2] stored\\) to "
                    + java.util.regex.Pattern.quote(stub.address()) + " failed: .*");
            assertThat(run.stdout()).doesNotContain("loaded");
        }
    }

    @Test
    void conditionalAnswersBecomeExitStatuses() throws Exception {
        Function<KvldsRequest, KvldsResponse> script = request -> {
            if (request instanceof KvldsRequest.Get) {
                return KvldsResponse.Get.ABSENT;
            }
            return KvldsResponse.Status.FAIL;
        };
        try (StubKvlds stub = new StubKvlds(directory, WIRE_LIMITS, script)) {
            for (String command : List.of("get k", "add k v", "modify k v", "cas k o n", "cad k o")) {
                CliRun run = run(("-t " + stub.address() + " " + command).split(" "));
                assertThat(run.status()).as(command + ": " + run).isEqualTo(ExitStatus.CONDITION_FALSE);
                assertThat(run.stdout()).isEmpty();
                assertThat(run.stderr()).isEmpty();
            }
        }
    }

    private CliRun run(String... args) throws Exception {
        return CompletableFuture.supplyAsync(() -> CliRun.run(Map.of(), directory, "", args))
                .get(DEADLINE_SECONDS, TimeUnit.SECONDS);
    }

    /** RANGE answered like a kvlds with a one-pair budget: the first pair at or after start, next the one after. */
    private static Function<KvldsRequest, KvldsResponse> onePairPerRange(NavigableMap<Key, Key> store) {
        return request -> {
            KvldsRequest.Range range = (KvldsRequest.Range) request;
            Map.Entry<Key, Key> first = store.ceilingEntry(range.start());
            if (first == null) {
                return new KvldsResponse.Range(Key.EMPTY, List.of());
            }
            Key after = store.higherKey(first.getKey());
            return new KvldsResponse.Range(after == null ? Key.EMPTY : after,
                    List.of(new KvldsResponse.Pair(first.getKey(), first.getValue())));
        };
    }

    private static Key key(String text) {
        return Key.wrap(text.getBytes(StandardCharsets.UTF_8));
    }

    private static KvldsResponse.Pair pair(String key, String value) {
        return new KvldsResponse.Pair(key(key), key(value));
    }
}
