package io.kivaloo.kvlds.daemon;

import io.kivaloo.proto.daemon.DaemonChild;
import static org.assertj.core.api.Assertions.assertThat;

import io.kivaloo.kvlds.KvldsMain;
import io.kivaloo.kvlds.server.KvldsScenarioAccess;
import io.kivaloo.proto.client.KvldsClient;
import io.kivaloo.proto.kvlds.Key;
import io.kivaloo.proto.kvlds.KvldsResponse;
import io.kivaloo.proto.net.KivalooAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** kvlds as a real process (KvldsMain in a child JVM) over a real lbs, ours or the C one. */
class KvldsDaemonTest {

    @TempDir
    Path dir;

    private final List<AutoCloseable> resources = new ArrayList<>();

    @AfterEach
    void closeAll() throws Exception {
        for (int i = resources.size() - 1; i >= 0; i--) {
            resources.get(i).close();
        }
    }

    private LbsDaemon.Running lbs(LbsDaemon backend, int blockSize) throws Exception {
        LbsDaemon.Running lbs = backend.start(dir, blockSize);
        resources.add(lbs);
        return lbs;
    }

    private DaemonChild kvlds(LbsDaemon.Running lbs, String... options) throws Exception {
        List<String> args = new ArrayList<>(List.of("-s", socket().toString(), "-l", lbs.address()));
        args.addAll(List.of(options));
        DaemonChild p = ChildProcess.startJava("kvlds/kvlds", null, KvldsMain.class.getName(), args);
        resources.add(p);
        return p;
    }

    private Path socket() {
        return dir.resolve("kvlds.sock");
    }

    private KvldsClient client() throws Exception {
        KvldsClient c = KvldsClient.connect(KivalooAddress.parse(socket().toString())).get(ChildProcess.DEADLINE_SECONDS, TimeUnit.SECONDS);
        resources.add(c);
        return c;
    }

    @ParameterizedTest
    @EnumSource(LbsDaemon.class)
    void originalTestScenarioPassesOverLbs(LbsDaemon backend) throws Exception {
        LbsDaemon.Running lbs = lbs(backend, 512);
        kvlds(lbs, "-v", "104", "-C", "1024");
        KvldsScenarioAccess.run(client(), 40_000);
    }

    @ParameterizedTest
    @EnumSource(LbsDaemon.class)
    void everyAcknowledgedWriteSurvivesKillNine(LbsDaemon backend) throws Exception {
        LbsDaemon.Running lbs = lbs(backend, 512);
        Map<Key, Key> acknowledged = new ConcurrentHashMap<>();
        for (int round = 0; round < 3; round++) {
            DaemonChild kvlds = kvlds(lbs, "-v", "104", "-C", "1024");
            KvldsClient c = client();
            checkPresent(c, acknowledged);
            CountDownLatch enough = new CountDownLatch(1000);
            for (int i = 0; i < 6000; i++) {
                Key key = KvldsScenarioAccess.be64(round * 1_000_000L + i);
                Key value = Key.of("round" + round + "-" + i);
                c.set(key, value).thenRun(() -> {
                    acknowledged.put(key, value);
                    enough.countDown();
                });
            }
            assertThat(enough.await(ChildProcess.DEADLINE_SECONDS, TimeUnit.SECONDS)).isTrue();
            kvlds.kill9();
            c.closeFuture().get(ChildProcess.DEADLINE_SECONDS, TimeUnit.SECONDS);
        }
        kvlds(lbs, "-v", "104", "-C", "1024");
        checkPresent(client(), acknowledged);
    }

    private static void checkPresent(KvldsClient c, Map<Key, Key> expected) throws Exception {
        Map<Key, CompletableFuture<Key>> gets = new java.util.HashMap<>();
        for (Key k : expected.keySet()) {
            gets.put(k, c.get(k));
        }
        for (Map.Entry<Key, CompletableFuture<Key>> e : gets.entrySet()) {
            assertThat(e.getValue().get(ChildProcess.DEADLINE_SECONDS, TimeUnit.SECONDS)).as("acknowledged %s", e.getKey())
                    .isEqualTo(expected.get(e.getKey()));
        }
    }

    @Test
    void cKvldsAndOursReadEachOthersTrees() throws Exception {
        Optional<Path> cKvlds = Binaries.c("kivaloo-kvlds");
        Assumptions.assumeTrue(cKvlds.isPresent(), "C kvlds not found (../shared/c-kivaloo/bin; -Dkivaloo.c.bin=<dir>): skipped");
        LbsDaemon.Running lbs = lbs(Binaries.c("kivaloo-lbs").isPresent() ? LbsDaemon.C : LbsDaemon.JAVA, 1024);
        java.util.TreeMap<Key, Key> model = new java.util.TreeMap<>();
        DaemonChild ours = kvlds(lbs, "-C", "1024");
        writeSome(client(), model, 0, 8000);
        assertThat(ours.terminate()).isZero();

        Path pid = dir.resolve("c-kvlds.pid");
        DaemonChild.Finished started = ChildProcess.run(List.of(cKvlds.get().toString(), "-s", socket().toString(), "-l",
                lbs.address(), "-C", "1024", "-p", pid.toString()));
        assertThat(started.status()).as("C kvlds start-up over our tree: %s", started.output()).isZero();
        long cPid = Long.parseLong(Files.readString(pid).trim());
        resources.add(() -> LbsDaemon.stopPid(cPid));
        KvldsClient c = client();
        assertThat(scanAll(c)).as("C kvlds reads our tree").isEqualTo(model);
        writeSome(c, model, 1, 8000);
        c.close();
        LbsDaemon.stopPid(cPid);
        Files.deleteIfExists(socket());

        kvlds(lbs, "-C", "1024");
        assertThat(scanAll(client())).as("we read the C kvlds's tree").isEqualTo(model);
    }

    private static void writeSome(KvldsClient c, java.util.TreeMap<Key, Key> model, int round, int n) throws Exception {
        java.util.Random random = new java.util.Random(round);
        List<CompletableFuture<?>> all = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            byte[] k = new byte[1 + random.nextInt(40)];
            random.nextBytes(k);
            Key key = Key.wrap(k);
            if (random.nextInt(5) == 0 && !model.isEmpty()) {
                Key victim = model.ceilingKey(key);
                if (victim != null) {
                    all.add(c.delete(victim));
                    model.remove(victim);
                    continue;
                }
            }
            Key value = Key.of("r" + round + "v" + i);
            all.add(c.set(key, value));
            model.put(key, value);
        }
        CompletableFuture.allOf(all.toArray(new CompletableFuture[0])).get(ChildProcess.DEADLINE_SECONDS, TimeUnit.SECONDS);
    }

    /** Every pair, by RANGE iteration with the C client's budget. */
    static java.util.TreeMap<Key, Key> scanAll(KvldsClient c) throws Exception {
        java.util.TreeMap<Key, Key> all = new java.util.TreeMap<>();
        Key start = Key.EMPTY;
        while (true) {
            KvldsResponse.Range r = c.range(start, Key.EMPTY, 0x100000).get(ChildProcess.DEADLINE_SECONDS, TimeUnit.SECONDS);
            for (KvldsResponse.Pair p : r.pairs()) {
                all.put(p.key(), p.value());
            }
            if (r.next().isEmpty()) {
                return all;
            }
            start = r.next();
        }
    }

    @Test
    void singleConnectionModeExitsAfterTheClient() throws Exception {
        LbsDaemon.Running lbs = lbs(Binaries.c("kivaloo-lbs").isPresent() ? LbsDaemon.C : LbsDaemon.JAVA, 512);
        DaemonChild kvlds = kvlds(lbs, "-1");
        KvldsClient c = client();
        c.set(Key.of("k"), Key.of("v")).get(ChildProcess.DEADLINE_SECONDS, TimeUnit.SECONDS);
        c.close();
        assertThat(kvlds.awaitExit()).isZero();
    }

    @Test
    void limitsAreCheckedAgainstTheBlockSize() throws Exception {
        LbsDaemon.Running lbs = lbs(Binaries.c("kivaloo-lbs").isPresent() ? LbsDaemon.C : LbsDaemon.JAVA, 512);
        DaemonChild.Finished tooLongKey = runKvlds(lbs, "-k", "94", "-v", "32");
        assertThat(tooLongKey.status()).isEqualTo(1);
        assertThat(tooLongKey.output()).contains("kvlds: Key length too large for page size");
        DaemonChild.Finished tooLongValue = runKvlds(lbs, "-v", "200");
        assertThat(tooLongValue.status()).isEqualTo(1);
        assertThat(tooLongValue.output()).contains("kvlds: Key or value lengths too large for page size");
        DaemonChild.Finished over255 = runKvlds(lbs, "-k", "256");
        assertThat(over255.status()).isEqualTo(1);
        assertThat(over255.output()).contains("kvlds: Keys longer than 255 bytes are not supported");
        DaemonChild.Finished smallCache = runKvlds(lbs, "-C", "1000");
        assertThat(smallCache.status()).isEqualTo(1);
        assertThat(smallCache.output()).contains("kvlds: Cache size in pages must be in [2^10, 2^30]");
        DaemonChild.Finished both = runKvlds(lbs, "-C", "1024", "-c", "1M");
        assertThat(both.status()).isEqualTo(2);
    }

    private DaemonChild.Finished runKvlds(LbsDaemon.Running lbs, String... options) throws Exception {
        List<String> args = new ArrayList<>(List.of("-s", socket().toString(), "-l", lbs.address(), "-F"));
        args.addAll(List.of(options));
        return ChildProcess.run(ChildProcess.java("kvlds/kvlds", null, KvldsMain.class.getName(), args));
    }
}
