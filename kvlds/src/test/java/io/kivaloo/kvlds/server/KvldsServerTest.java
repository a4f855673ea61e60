package io.kivaloo.kvlds.server;

import static io.kivaloo.kvlds.server.KvldsScenario.await;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.kivaloo.kvlds.cleaner.CleaningPolicy;
import io.kivaloo.kvlds.page.PageWriter;
import io.kivaloo.proto.client.KvldsClient;
import io.kivaloo.proto.daemon.StartupException;
import io.kivaloo.proto.kvlds.Key;
import io.kivaloo.proto.kvlds.KvldsCodec;
import io.kivaloo.proto.kvlds.KvldsRequest;
import io.kivaloo.proto.kvlds.KvldsResponse;
import io.kivaloo.proto.metrics.DaemonMetrics;
import io.kivaloo.proto.net.KivalooAddress;
import io.kivaloo.proto.wire.Frames;
import io.kivaloo.proto.wire.RawConnection;
import io.prometheus.metrics.model.snapshots.CounterSnapshot;
import io.prometheus.metrics.model.snapshots.HistogramSnapshot;
import io.prometheus.metrics.model.snapshots.MetricSnapshot;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** kvlds in this JVM over an in-memory lbs speaking the real protocol. */
class KvldsServerTest {

    @TempDir
    Path dir;

    private final List<AutoCloseable> resources = new ArrayList<>();

    @AfterEach
    void closeAll() throws Exception {
        for (int i = resources.size() - 1; i >= 0; i--) {
            resources.get(i).close();
        }
    }

    private FakeLbs lbs(int blockSize) throws Exception {
        FakeLbs lbs = new FakeLbs(dir.resolve("lbs.sock"), blockSize);
        resources.add(lbs);
        return lbs;
    }

    private KvldsServer kvlds(FakeLbs lbs, Integer kmax, Integer vmax) throws Exception {
        KvldsConfig config = new KvldsConfig(KivalooAddress.parse(dir.resolve("kvlds.sock").toString()), lbs.address(),
                1024L, null, kmax, vmax, CleaningPolicy.withStorageCost(1.0), 0, 0, false, false);
        KvldsServer server = KvldsServer.start(config);
        resources.add(server);
        return server;
    }

    /** kvlds with its start-up warm-up on or off, counting into {@code metrics}. */
    private KvldsServer kvlds(FakeLbs lbs, boolean warmup, DaemonMetrics metrics) throws Exception {
        KvldsConfig config = new KvldsConfig(KivalooAddress.parse(dir.resolve("kvlds.sock").toString()), lbs.address(),
                1024L, null, null, null, CleaningPolicy.withStorageCost(1.0), 0, 0, false, warmup);
        KvldsServer server = KvldsServer.start(config, new KvldsMetrics(metrics));
        resources.add(server);
        return server;
    }

    private KvldsClient client() throws Exception {
        KvldsClient c = await(KvldsClient.connect(KivalooAddress.parse(dir.resolve("kvlds.sock").toString())));
        resources.add(c);
        return c;
    }

    @Test
    void originalTestScenarioPasses() throws Exception {
        FakeLbs lbs = lbs(512);
        kvlds(lbs, null, 104);
        KvldsScenario.run(client(), 40_000);
    }

    @Test
    void theWarmUpLeavesNoTraceInLbsOrTheMetrics() throws Exception {
        FakeLbs lbs = lbs(4096);
        DaemonMetrics metrics = new DaemonMetrics("kvlds");
        KvldsServer server = kvlds(lbs, true, metrics);
        assertThat(server.warmup()).as("warm-up ran").isNotNull();
        assertThat(server.warmup().batches()).as("warm-up batches").isPositive();
        // An empty lbs: kvlds's only write is the empty root of recovery, whatever the warm-up committed.
        assertThat(lbs.appendsReceived()).isEqualTo(1);
        assertThat(lbs.nextBlockNow()).isEqualTo(1);
        assertThat(lbs.storedBlocks()).isEqualTo(1);
        assertThat(kvldsCounts(metrics)).as("kvlds's request, batch and cache counts before any client").allMatch(v -> v == 0);

        KvldsClient c = client();
        await(c.set(Key.of("k"), Key.of("v")));
        assertThat(await(c.get(Key.of("k")))).isEqualTo(Key.of("v"));
        assertThat(lbs.nextBlockNow()).as("one batch of one leaf root after the root").isEqualTo(2);
    }

    @Test
    void noWarmupSkipsIt() throws Exception {
        KvldsServer server = kvlds(lbs(4096), false, new DaemonMetrics("kvlds"));
        assertThat(server.warmup()).isNull();
    }

    /** Every value of kvlds's own counters and histograms (counts and sums), with its series name. */
    private static List<Double> kvldsCounts(DaemonMetrics metrics) {
        List<Double> values = new ArrayList<>();
        for (MetricSnapshot m : metrics.registry().scrape()) {
            if (!m.getMetadata().getPrometheusName().startsWith("kivaloo_kvlds_")) {
                continue;
            }
            if (m instanceof CounterSnapshot counter) {
                counter.getDataPoints().forEach(p -> values.add(p.getValue()));
            } else if (m instanceof HistogramSnapshot histogram) {
                histogram.getDataPoints().forEach(p -> values.add((double) p.getCount()));
            }
        }
        assertThat(values).as("kvlds's counters found").isNotEmpty();
        return values;
    }

    @Test
    void restartFindsTheCommittedTree() throws Exception {
        FakeLbs lbs = lbs(1024);
        KvldsServer first = kvlds(lbs, null, null);
        KvldsClient c = client();
        List<CompletableFuture<Void>> sets = new ArrayList<>();
        for (int i = 0; i < 5000; i++) {
            sets.add(c.set(KvldsScenario.be64(i), Key.of("v" + i)));
        }
        await(CompletableFuture.allOf(sets.toArray(new CompletableFuture[0])));
        c.close();
        first.close();
        kvlds(lbs, null, null);
        KvldsClient again = client();
        for (int i = 0; i < 5000; i += 7) {
            assertThat(await(again.get(KvldsScenario.be64(i)))).isEqualTo(Key.of("v" + i));
        }
    }

    @Test
    void rangeSplitsBatchesByTheByteBudgetAsThePythonTestExpects() throws Exception {
        kvlds(lbs(512), null, null);
        KvldsClient c = client();
        await(c.set(Key.of("a"), Key.of("b")));
        await(c.set(Key.of("c"), Key.of("b")));
        await(c.set(Key.of("hello"), Key.of("world!")));
        KvldsResponse.Range first = await(c.range(Key.EMPTY, Key.EMPTY, 10));
        assertThat(first.pairs()).containsExactly(new KvldsResponse.Pair(Key.of("a"), Key.of("b")),
                new KvldsResponse.Pair(Key.of("c"), Key.of("b")));
        assertThat(first.next()).isEqualTo(Key.of("hello"));
        KvldsResponse.Range second = await(c.range(first.next(), Key.EMPTY, 10));
        assertThat(second.pairs()).containsExactly(new KvldsResponse.Pair(Key.of("hello"), Key.of("world!")));
        assertThat(second.next()).isEqualTo(Key.EMPTY);
        KvldsResponse.Range halfOpen = await(c.range(Key.of("a"), Key.of("c"), 1000));
        assertThat(halfOpen.pairs()).containsExactly(new KvldsResponse.Pair(Key.of("a"), Key.of("b")));
        assertThat(halfOpen.next()).isEqualTo(Key.of("c"));
        KvldsResponse.Range zeroBudget = await(c.range(Key.EMPTY, Key.EMPTY, 0));
        assertThat(zeroBudget.pairs()).hasSize(1);
    }

    @Test
    void paramsReportsTheLimits() throws Exception {
        kvlds(lbs(512), 5, null);
        assertThat(await(client().params())).isEqualTo(new KvldsResponse.Params(5, 96));
    }

    @Test
    void overLongValueDropsTheConnectionAndTheNextClientIsServed() throws Exception {
        kvlds(lbs(512), null, 50);
        KvldsClient c = client();
        await(c.set(Key.of("k"), Key.of("short")));
        // Raw: the client library itself refuses an oversize SET before sending it.
        CompletableFuture<byte[]> tooLong = c.sendRaw(KvldsCodec.encodeRequest(
                new KvldsRequest.Set(Key.of("k"), Key.wrap(new byte[60]))));
        assertThatThrownBy(() -> await(tooLong)).isInstanceOf(ExecutionException.class);
        await(c.closeFuture());
        KvldsClient next = client();
        assertThat(await(next.get(Key.of("k")))).isEqualTo(Key.of("short"));
        // DELETE, CAD and GET take 255-byte keys whatever -k says; CAS's old value is not checked.
        assertThat(await(next.get(Key.wrap(new byte[200])))).isNull();
        await(next.delete(Key.wrap(new byte[200])));
        assertThat(await(next.cas(Key.of("k"), Key.wrap(new byte[200]), Key.of("x")))).isFalse();
    }

    /**
     * A client queued a modification while a batch was committing, and the
     * commit timer had already fired; then the client went away, which
     * discards its queued modification. The next client's modifications must
     * still start batches (a stale "timer expired" once wedged every later
     * write: DurabilityIT after a kill -9 of mux).
     */
    @Test
    void modificationsAfterAClientDroppedItsQueuedOnesStillCommit() throws Exception {
        FakeLbs lbs = lbs(512);
        kvlds(lbs, null, null);
        KvldsClient first = client();
        CompletableFuture<Void> committing = setHeldAtLbs(lbs, first);
        CompletableFuture<Void> queued = first.set(Key.of("k2"), Key.of("v2"));
        // Answered after k2 was read and its timer task had run on the same loop.
        assertThat(await(first.get(Key.of("k0")))).isEqualTo(Key.of("v0"));
        first.close();
        await(first.closeFuture());
        lbs.releaseAppends();
        KvldsClient next = client();
        await(next.set(Key.of("k3"), Key.of("v3")));
        assertThat(await(next.get(Key.of("k3")))).isEqualTo(Key.of("v3"));
        assertThat(await(next.get(Key.of("k1")))).as("the batch that was committing completed").isEqualTo(Key.of("v1"));
    }

    /**
     * Durability: a modification is answered only once lbs has acknowledged
     * the APPEND that holds it. The GET is sent after the APPEND reached lbs,
     * and answers on one connection arrive in the order kvlds wrote them, so a
     * SET answered before its acknowledgement would be done by the time the
     * GET's answer is in.
     */
    @Test
    void aSetIsAnsweredOnlyAfterLbsAcknowledgesItsAppend() throws Exception {
        FakeLbs lbs = lbs(512);
        kvlds(lbs, null, null);
        KvldsClient c = client();
        CompletableFuture<Void> set = setHeldAtLbs(lbs, c);
        assertThat(await(c.get(Key.of("k1")))).as("a write is not visible before it is durable").isNull();
        assertThat(set).as("the SET was answered while its APPEND was unacknowledged").isNotDone();
        lbs.releaseAppends();
        await(set);
        assertThat(await(c.get(Key.of("k1")))).isEqualTo(Key.of("v1"));
    }

    /**
     * Pipelined group commit: while batch N's APPEND is at lbs, the next
     * batch stays unanswered and invisible and its APPEND is not sent; once
     * lbs acknowledges N, N is answered, then N+1's APPEND goes out, and N+1
     * is answered only once that one is acknowledged.
     */
    @Test
    void theBatchAfterTheOneAtLbsWaitsForItsAcknowledgement() throws Exception {
        FakeLbs lbs = lbs(512);
        kvlds(lbs, null, null);
        KvldsClient c = client();
        CompletableFuture<Void> n = setHeldAtLbs(lbs, c);
        int appends = lbs.appendsReceived();
        CompletableFuture<Void> n1 = c.set(Key.of("k2"), Key.of("v2"));
        assertThat(await(c.get(Key.of("k2")))).as("N+1 visible while N is at lbs").isNull();
        assertThat(await(c.get(Key.of("k1")))).as("N visible before it is durable").isNull();
        assertThat(n).as("N answered before lbs acknowledged it").isNotDone();
        assertThat(n1).as("N+1 answered while N is at lbs").isNotDone();
        assertThat(lbs.appendsReceived()).as("N+1's APPEND sent while N's is unacknowledged").isEqualTo(appends);
        lbs.answerHeldAppends();
        await(n);
        lbs.awaitAppend();
        assertThat(n1).as("N+1 answered before lbs acknowledged it").isNotDone();
        assertThat(await(c.get(Key.of("k2")))).as("N+1 visible before it is durable").isNull();
        assertThat(await(c.get(Key.of("k1")))).isEqualTo(Key.of("v1"));
        lbs.releaseAppends();
        await(n1);
        assertThat(await(c.get(Key.of("k2")))).isEqualTo(Key.of("v2"));
    }

    /**
     * A batch smaller than the one at lbs does not pay for an APPEND of its
     * own: it waits for that one's acknowledgement, and then everything queued
     * goes in one batch. Starting every pipelined batch at once cut a client's
     * window of SETs into one large batch and a trickle of small ones, each
     * paying a whole fsync.
     */
    @Test
    void aBatchSmallerThanTheOneAtLbsWaitsForItAndThenTakesEverythingQueued() throws Exception {
        FakeLbs lbs = lbs(512);
        kvlds(lbs, null, null);
        // One connection (kvlds serves one at a time), raw so that three SETs go in one write.
        try (RawConnection raw = RawConnection.open(KivalooAddress.parse(dir.resolve("kvlds.sock").toString()))) {
            raw.send(100, set("k0"));
            assertThat(raw.receive().id()).isEqualTo(100L);
            // The empty tree's root at start-up, then k0's batch.
            lbs.awaitAppend();
            lbs.awaitAppend();
            lbs.holdAppends();
            // Batch N: three SETs in one write, read in one go.
            java.io.ByteArrayOutputStream three = new java.io.ByteArrayOutputStream();
            for (int id = 1; id <= 3; id++) {
                three.writeBytes(Frames.packet(id, set("n" + id)));
            }
            raw.write(three.toByteArray());
            lbs.awaitAppend();
            int appends = lbs.appendsReceived();
            // Each GET is answered after the SET before it was read and its timer task had run on the same loop.
            raw.send(4, set("a"));
            raw.send(5, KvldsCodec.encodeRequest(new KvldsRequest.Get(Key.of("k0"))));
            assertThat(raw.receive().id()).isEqualTo(5L);
            raw.send(6, set("b"));
            raw.send(7, KvldsCodec.encodeRequest(new KvldsRequest.Get(Key.of("k0"))));
            assertThat(raw.receive().id()).isEqualTo(7L);
            lbs.answerHeldAppends();
            java.util.Set<Long> answered = new java.util.TreeSet<>();
            for (int i = 0; i < 3; i++) {
                answered.add(raw.receive().id());
            }
            assertThat(answered).as("N's answers").containsExactly(1L, 2L, 3L);
            lbs.releaseAppends();
            answered.clear();
            for (int i = 0; i < 2; i++) {
                answered.add(raw.receive().id());
            }
            assertThat(answered).as("the two SETs queued behind N").containsExactly(4L, 6L);
            assertThat(lbs.appendsReceived() - appends).as("APPENDs for the two SETs queued behind N").isEqualTo(1);
        }
    }

    private static byte[] set(String key) {
        return KvldsCodec.encodeRequest(new KvldsRequest.Set(Key.of(key), Key.of("v")));
    }

    /** After k0=v0 is committed, sets k1=v1 and returns once its APPEND is held at lbs. */
    private static CompletableFuture<Void> setHeldAtLbs(FakeLbs lbs, KvldsClient c) throws Exception {
        await(c.set(Key.of("k0"), Key.of("v0")));
        // The empty tree's root at start-up, then k0's batch.
        lbs.awaitAppend();
        lbs.awaitAppend();
        lbs.holdAppends();
        CompletableFuture<Void> set = c.set(Key.of("k1"), Key.of("v1"));
        lbs.awaitAppend();
        return set;
    }

    /** Fail-stop with two batches in flight: N's APPEND refused, N+1 is never appended and never answered. */
    @Test
    void whenTheAppendAtLbsFailsTheNextBatchIsNeitherAppendedNorAnswered() throws Exception {
        FakeLbs lbs = lbs(512);
        KvldsServer server = kvlds(lbs, null, null);
        KvldsClient c = client();
        CompletableFuture<Void> n = setHeldAtLbs(lbs, c);
        int appends = lbs.appendsReceived();
        CompletableFuture<Void> n1 = c.set(Key.of("k2"), Key.of("v2"));
        // Answered after k2 was read: N+1 is queued or prepared by now.
        assertThat(await(c.get(Key.of("k0")))).isEqualTo(Key.of("v0"));
        lbs.refuseHeldAppends();
        assertThatThrownBy(() -> server.done().get(60, TimeUnit.SECONDS)).hasMessageContaining("lbs refused APPEND");
        server.close();
        lbs.awaitClientClosed();
        assertThat(lbs.appendsReceived()).as("APPENDs after the refused one").isEqualTo(appends);
        c.close();
        await(c.closeFuture());
        assertThat(n.isDone() && !n.isCompletedExceptionally()).as("N acknowledged").isFalse();
        assertThat(n1.isDone() && !n1.isCompletedExceptionally()).as("N+1 acknowledged").isFalse();
    }

    @Test
    void stopLetsTheBatchAtLbsFinishAndAnswersIt() throws Exception {
        FakeLbs lbs = lbs(512);
        KvldsServer server = kvlds(lbs, null, null);
        KvldsClient c = client();
        CompletableFuture<Void> committing = setHeldAtLbs(lbs, c);
        CompletableFuture<Void> closed = CompletableFuture.runAsync(server::close);
        // The listener closes first: once nobody can connect, close() is waiting for the batch.
        KivalooAddress address = KivalooAddress.parse(dir.resolve("kvlds.sock").toString());
        while (!connectFails(address)) {
            Thread.onSpinWait();
        }
        lbs.releaseAppends();
        await(committing);
        closed.get(60, TimeUnit.SECONDS);
        assertThat(server.done().isCompletedExceptionally()).as("a plain stop is not an error").isFalse();
    }

    private static boolean connectFails(KivalooAddress address) {
        try {
            KvldsClient probe = KvldsClient.connect(address).get(60, TimeUnit.SECONDS);
            probe.close();
            return false;
        } catch (ExecutionException e) {
            return true;
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    @Test
    void malformedRequestDropsTheConnection() throws Exception {
        kvlds(lbs(512), null, null);
        KvldsClient c = client();
        byte[] getPlusOne = new byte[4 + 1 + 1 + 1];
        System.arraycopy(KvldsCodec.encodeRequest(new KvldsRequest.Get(Key.of("k"))), 0, getPlusOne, 0, 6);
        CompletableFuture<byte[]> bad = c.sendRaw(getPlusOne);
        assertThatThrownBy(() -> await(bad)).isInstanceOf(ExecutionException.class);
        await(c.closeFuture());
        assertThat(await(client().get(Key.of("k")))).isNull();
    }

    @Test
    void refusedAppendIsFatal() throws Exception {
        FakeLbs lbs = lbs(512);
        KvldsServer server = kvlds(lbs, null, null);
        lbs.refuseAppends(true);
        KvldsClient c = client();
        CompletableFuture<Void> set = c.set(Key.of("k"), Key.of("v"));
        assertThatThrownBy(() -> server.done().get(60, TimeUnit.SECONDS)).hasMessageContaining("lbs refused APPEND");
        assertThat(set.isDone() && !set.isCompletedExceptionally()).as("SET acknowledged").isFalse();
    }

    @Test
    void lostLbsConnectionIsFatal() throws Exception {
        FakeLbs lbs = lbs(512);
        KvldsServer server = kvlds(lbs, null, null);
        lbs.dropClient();
        assertThatThrownBy(() -> server.done().get(60, TimeUnit.SECONDS)).hasMessageContaining("lbs");
    }

    @Test
    void corruptPageIsFatalAndNamesTheBlock() throws Exception {
        FakeLbs lbs = lbs(512);
        KvldsServer first = kvlds(lbs, null, null);
        KvldsClient c = client();
        List<CompletableFuture<Void>> sets = new ArrayList<>();
        for (int i = 0; i < 3000; i++) {
            sets.add(c.set(KvldsScenario.be64(i), Key.of("value" + i)));
        }
        await(CompletableFuture.allOf(sets.toArray(new CompletableFuture[0])));
        c.close();
        first.close();
        // Overwrite every page but the newest (the root) with garbage.
        long last = lbs.nextBlockNow() - 1;
        byte[] garbage = PageWriter.emptyRoot(512);
        garbage[0] = 'X';
        for (long b = 0; b < last; b++) {
            if (lbs.block(b) != null) {
                lbs.corrupt(b, garbage);
            }
        }
        KvldsServer second = kvlds(lbs, null, null);
        CompletableFuture<Key> get = client().get(KvldsScenario.be64(5));
        assertThatThrownBy(() -> second.done().get(60, TimeUnit.SECONDS)).hasMessageContaining("page corrupt block=")
                .hasMessageContaining("field=magic");
        assertThat(get).isNotDone();
    }

    /**
     * kvlds listens before it has a tree (kvlds.md §8) but builds the server
     * and accepts only once the tree is recovered: a client that connects
     * meanwhile waits in the listen backlog and is served afterwards.
     */
    @Test
    void aClientConnectingDuringRecoveryIsServedOnceTheTreeExists() throws Exception {
        FakeLbs lbs = lbs(512);
        lbs.holdAppends(); // the empty store's root leaf is APPENDed during start-up
        KvldsConfig config = new KvldsConfig(KivalooAddress.parse(dir.resolve("kvlds.sock").toString()), lbs.address(),
                1024L, null, null, null, CleaningPolicy.withStorageCost(1.0), 0, 0, false, false);
        CompletableFuture<KvldsServer> starting = CompletableFuture.supplyAsync(() -> {
            try {
                return KvldsServer.start(config);
            } catch (StartupException e) {
                throw new CompletionException(e);
            }
        });
        lbs.awaitAppend(); // recovering: the socket is bound, the server not built
        KvldsClient early = client();
        CompletableFuture<Key> get = early.get(Key.of("k"));
        assertThat(starting).as("start-up waits for the root's APPEND").isNotDone();
        lbs.releaseAppends();
        resources.add(await(starting));
        assertThat(await(get)).isNull();
    }

    @Test
    void startupChecksTheLimitsAgainstTheBlockSize() throws Exception {
        FakeLbs lbs = lbs(512);
        assertThatThrownBy(() -> kvlds(lbs, 94, 32)).isInstanceOf(StartupException.class).hasMessage("Key length too large for page size");
        assertThatThrownBy(() -> kvlds(lbs, null, 200)).isInstanceOf(StartupException.class)
                .hasMessage("Key or value lengths too large for page size");
        kvlds(lbs, null, 104);
    }

    @Test
    void storeWithoutRootFailsStartup() throws Exception {
        FakeLbs lbs = lbs(512);
        KvldsServer first = kvlds(lbs, null, null);
        first.close();
        lbs.corrupt(0, new byte[512]);
        assertThatThrownBy(() -> kvlds(lbs, null, null)).isInstanceOf(StartupException.class).hasMessageContaining("field=magic");
    }
}
