package io.kivaloo.kvlds.daemon;

import io.kivaloo.proto.daemon.DaemonChild;
import static org.assertj.core.api.Assertions.assertThat;

import io.kivaloo.kvlds.KvldsMain;
import io.kivaloo.proto.client.KvldsClient;
import io.kivaloo.proto.kvlds.Key;
import io.kivaloo.proto.net.KivalooAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardWatchEventKinds;
import java.nio.file.WatchKey;
import java.nio.file.WatchService;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * kill -9 of kvlds at random points while the cleaner is rewriting pages
 * (kvlds.md §10), over our lbs. A cold set is written once, then a hot set is
 * overwritten until a random number of writes has been acknowledged, and
 * kvlds is killed with writes in flight. After every restart:
 * <ul>
 *   <li>every key holds the value of its last acknowledged write or of a
 *       later one that was sent (never an older one, never one not sent);</li>
 *   <li>a full RANGE scan on the restarted daemon, whose cache starts empty,
 *       reads every live page from lbs: a live block that a FREE had removed
 *       would make kvlds fail and the scan with it.</li>
 * </ul>
 * And the cleaner did its work: the cold leaves sit in the lbs files that
 * existed after the cold load, and no request rewrites them; FREE can delete
 * those files only once the cleaner has moved every cold leaf. (With -S 0
 * this test fails there.)
 */
class CleaningDaemonTest {

    private static final int BLOCK_SIZE = 512;
    private static final int COLD_KEYS = 20_000;
    private static final int HOT_KEYS = 2_000;
    private static final int CYCLES = 6;
    private static final int IN_FLIGHT = 256;
    /** A storage:I/O cost ratio that makes cleaning fast enough to watch in seconds. */
    private static final String STORAGE_COST = "1000000";

    @TempDir
    Path dir;

    private final List<AutoCloseable> resources = new ArrayList<>();

    @AfterEach
    void closeAll() throws Exception {
        for (int i = resources.size() - 1; i >= 0; i--) {
            resources.get(i).close();
        }
    }

    @Test
    void killNineWhileCleaningLosesNothingAndFreesNoLivePage() throws Exception {
        Random random = new Random(20261201);
        LbsDaemon.Running lbs = LbsDaemon.JAVA.start(dir, BLOCK_SIZE);
        resources.add(lbs);
        Path store = dir.resolve("lbs-store");

        DaemonChild kvlds = kvlds(lbs);
        KvldsClient c = client();
        List<CompletableFuture<?>> cold = new ArrayList<>();
        for (int i = 0; i < COLD_KEYS; i++) {
            cold.add(c.set(coldKey(i), Key.of("cold" + i)));
        }
        CompletableFuture.allOf(cold.toArray(new CompletableFuture[0])).get(ChildProcess.DEADLINE_SECONDS, TimeUnit.SECONDS);
        List<Path> coldFiles = blockFiles(store);

        // Per hot key: the highest write sequence number sent and acknowledged (values carry it).
        AtomicLongArray sent = new AtomicLongArray(HOT_KEYS);
        AtomicLongArray acked = new AtomicLongArray(HOT_KEYS);
        long sequence = 0;
        List<CompletableFuture<?>> firstHot = new ArrayList<>();
        for (int k = 0; k < HOT_KEYS; k++) {
            long seq = ++sequence;
            sent.set(k, seq);
            acked.set(k, seq);
            firstHot.add(c.set(hotKey(k), hotValue(k, seq)));
        }
        CompletableFuture.allOf(firstHot.toArray(new CompletableFuture[0])).get(ChildProcess.DEADLINE_SECONDS, TimeUnit.SECONDS);
        for (int cycle = 0; cycle < CYCLES; cycle++) {
            int target = 20_000 + random.nextInt(30_000);
            CountDownLatch enough = new CountDownLatch(target);
            Semaphore window = new Semaphore(IN_FLIGHT);
            while (enough.getCount() > 0) {
                if (!window.tryAcquire(ChildProcess.DEADLINE_SECONDS, TimeUnit.SECONDS)) {
                    throw new AssertionError("no answers from kvlds:\n" + kvlds.output());
                }
                int k = random.nextInt(HOT_KEYS);
                long seq = ++sequence;
                sent.set(k, seq);
                c.set(hotKey(k), hotValue(k, seq)).whenComplete((v, e) -> {
                    if (e == null) {
                        acked.accumulateAndGet(k, seq, Math::max);
                        enough.countDown();
                    }
                    window.release();
                });
            }
            kvlds.kill9();
            c.closeFuture().get(ChildProcess.DEADLINE_SECONDS, TimeUnit.SECONDS);
            Files.deleteIfExists(socket());

            kvlds = kvlds(lbs);
            c = client();
            TreeMap<Key, Key> all = KvldsDaemonTest.scanAll(c);
            assertThat(all).as("pairs after restart %s", cycle).hasSize(COLD_KEYS + HOT_KEYS);
            for (int i = 0; i < COLD_KEYS; i++) {
                assertThat(all.get(coldKey(i))).isEqualTo(Key.of("cold" + i));
            }
            for (int k = 0; k < HOT_KEYS; k++) {
                long seq = sequenceOf(k, all.get(hotKey(k)));
                assertThat(seq).as("hot key %s after restart %s", k, cycle).isBetween(acked.get(k), sent.get(k));
                // What survived is the new baseline: an unacknowledged write that landed counts as done.
                acked.set(k, seq);
            }
        }
        awaitGone(coldFiles, store, kvlds);
    }

    private DaemonChild kvlds(LbsDaemon.Running lbs) throws Exception {
        DaemonChild p = ChildProcess.startJava("kvlds/kvlds", null, KvldsMain.class.getName(),
                List.of("-s", socket().toString(), "-l", lbs.address(), "-C", "1024", "-S", STORAGE_COST));
        resources.add(p);
        return p;
    }

    private KvldsClient client() throws Exception {
        KvldsClient c = KvldsClient.connect(KivalooAddress.parse(socket().toString())).get(ChildProcess.DEADLINE_SECONDS, TimeUnit.SECONDS);
        resources.add(c);
        return c;
    }

    private Path socket() {
        return dir.resolve("kvlds.sock");
    }

    private static Key coldKey(int i) {
        return Key.of(String.format("c%07d", i));
    }

    private static Key hotKey(int k) {
        return Key.of(String.format("h%07d", k));
    }

    private static Key hotValue(int k, long seq) {
        return Key.of(k + ":" + seq);
    }

    /** The sequence number in a hot key's value, which must name that key. */
    private static long sequenceOf(int k, Key value) {
        assertThat(value).as("hot key %s present", k).isNotNull();
        String s = new String(value.toByteArray(), StandardCharsets.US_ASCII);
        assertThat(s).startsWith(k + ":");
        return Long.parseLong(s.substring(s.indexOf(':') + 1));
    }

    private static List<Path> blockFiles(Path store) throws Exception {
        try (Stream<Path> files = Files.list(store)) {
            return files.filter(f -> f.getFileName().toString().startsWith("blks_")).sorted().toList();
        }
    }

    /**
     * Waits until the files are gone (FREE runs every second once the cleaner
     * moved their pages), woken by the directory's delete events.
     */
    private static void awaitGone(List<Path> files, Path store, DaemonChild kvlds) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(ChildProcess.DEADLINE_SECONDS);
        try (WatchService watcher = store.getFileSystem().newWatchService()) {
            store.register(watcher, StandardWatchEventKinds.ENTRY_DELETE);
            while (files.stream().anyMatch(Files::exists)) {
                WatchKey key = watcher.poll(deadline - System.nanoTime(), TimeUnit.NANOSECONDS);
                if (key == null) {
                    throw new AssertionError("files of the cold load never freed: " + files.stream().filter(Files::exists).toList()
                            + "; lbs holds " + blockFiles(store) + "\nkvlds:\n" + kvlds.output());
                }
                key.pollEvents();
                key.reset();
            }
        }
    }
}
