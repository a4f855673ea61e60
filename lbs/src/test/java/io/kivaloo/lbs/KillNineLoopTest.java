package io.kivaloo.lbs;

import io.kivaloo.proto.daemon.DaemonChild;
import io.kivaloo.proto.client.LbsClient;
import io.kivaloo.proto.lbs.LbsResponse;
import io.kivaloo.proto.net.KivalooAddress;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * kill -9 while APPENDs are in flight, restart, and check that every
 * acknowledged block reads back exactly; an APPEND that was not acknowledged
 * is there whole or not at all. Each cycle writes with a new seed so that a
 * block number re-used after a dropped APPEND is told apart.
 */
@Timeout(value = 600, unit = TimeUnit.SECONDS)
class KillNineLoopTest {

    private static final int BS = 512;
    private static final int CYCLES = Integer.getInteger("lbs.killCycles", 20);
    private static final long SEED = Long.getLong("lbs.killSeed", 4242L);

    @TempDir
    Path tmp;

    /** Block number -> seed of the cycle that wrote it, for every acknowledged block. */
    private final TreeMap<Long, Long> acknowledged = new TreeMap<>();
    private long nextBlock;
    private long freedBelow;

    private static byte[] block(long b, long seed) {
        byte[] data = new byte[BS];
        new Random(b * 31 + seed).nextBytes(data);
        return data;
    }

    private static byte[] blocks(long first, int count, long seed) {
        byte[] data = new byte[count * BS];
        for (int i = 0; i < count; i++) {
            System.arraycopy(block(first + i, seed), 0, data, i * BS, BS);
        }
        return data;
    }

    @Test
    void everyAcknowledgedBlockSurvivesKillNine() throws Exception {
        Path dir = Files.createDirectory(tmp.resolve("store"));
        String socket = tmp.resolve("lbs.sock").toString();
        Random random = new Random(SEED);
        long inFlightStart = -1;
        int inFlightCount = 0;
        long inFlightSeed = 0;
        int droppedInFlight = 0;
        int acknowledgedInFlight = 0;
        int keptInFlight = 0;
        for (int cycle = 0; cycle < CYCLES; cycle++) {
            String context = "seed " + SEED + " cycle " + cycle;
            long cycleSeed = SEED * 1000 + cycle;
            try (DaemonChild lbs = LbsProcess.start("-s", socket, "-d", dir.toString(), "-b", Integer.toString(BS), "-n", "4")) {
                LbsClient client = LbsClient.connect(KivalooAddress.parse(socket)).get(60, TimeUnit.SECONDS);
                try {
                    long next = client.params2().get(60, TimeUnit.SECONDS).nextBlock();
                    if (inFlightStart >= 0 && next == inFlightStart + inFlightCount && next != nextBlock) {
                        for (int i = 0; i < inFlightCount; i++) {
                            acknowledged.put(inFlightStart + i, inFlightSeed); // the whole APPEND made it
                        }
                        nextBlock = next;
                        keptInFlight++;
                    } else if (inFlightStart >= 0) {
                        droppedInFlight++;
                    }
                    assertThat(next).as(context + ": next block after restart").isEqualTo(nextBlock);
                    verifyAll(client, context);

                    int appends = 1 + random.nextInt(6);
                    for (int a = 0; a < appends; a++) {
                        int count = 1 + random.nextInt(random.nextBoolean() ? 3 : 24);
                        LbsResponse.Append done = client.append(nextBlock, count, blocks(nextBlock, count, cycleSeed))
                                .get(60, TimeUnit.SECONDS);
                        assertThat(done.accepted()).as(context).isTrue();
                        for (int i = 0; i < count; i++) {
                            acknowledged.put(nextBlock + i, cycleSeed);
                        }
                        nextBlock = done.nextBlock();
                    }
                    if (random.nextInt(3) == 0) {
                        long below = random.nextInt((int) nextBlock + 1);
                        client.free(below).get(60, TimeUnit.SECONDS);
                        freedBelow = Math.max(freedBelow, below);
                    }
                    // The APPEND in flight at the kill, with GETs behind it.
                    inFlightStart = nextBlock;
                    inFlightCount = 1 + random.nextInt(random.nextBoolean() ? 40 : 2000);
                    inFlightSeed = cycleSeed + 500;
                    CompletableFuture<LbsResponse.Append> inFlight = client.append(inFlightStart, inFlightCount,
                            blocks(inFlightStart, inFlightCount, inFlightSeed));
                    List<CompletableFuture<LbsResponse.Get>> behind = new ArrayList<>();
                    for (int i = 0; i < 20; i++) {
                        behind.add(client.get(random.nextInt((int) nextBlock)));
                    }
                    if (random.nextBoolean()) {
                        // GETs are answered after the APPEND was handed to the writer: kill while it writes.
                        CompletableFuture.allOf(behind.toArray(new CompletableFuture<?>[0])).get(60, TimeUnit.SECONDS);
                    }
                    lbs.kill9();
                    if (inFlight.isDone() && !inFlight.isCompletedExceptionally()) {
                        acknowledgedInFlight++;
                        for (int i = 0; i < inFlightCount; i++) {
                            acknowledged.put(inFlightStart + i, inFlightSeed); // answered: it must be there
                        }
                        nextBlock = inFlight.join().nextBlock();
                        inFlightStart = -1;
                    }
                } finally {
                    client.close();
                }
            }
        }
        assertThat(acknowledged).isNotEmpty();
        // Print what the loop exercised, so a run that never caught an APPEND in flight is visible.
        System.out.println("kill -9 loop: cycles=" + CYCLES + " blocks=" + nextBlock + " inFlightDropped=" + droppedInFlight
                + " inFlightKeptUnanswered=" + keptInFlight + " inFlightAnswered=" + acknowledgedInFlight);
    }

    private void verifyAll(LbsClient client, String context) throws Exception {
        List<Long> numbers = new ArrayList<>();
        List<CompletableFuture<LbsResponse.Get>> gets = new ArrayList<>();
        for (long b : acknowledged.tailMap(freedBelow, true).keySet()) {
            numbers.add(b);
            gets.add(client.get(b));
        }
        for (int i = 0; i < gets.size(); i++) {
            long b = numbers.get(i);
            LbsResponse.Get got = gets.get(i).get(60, TimeUnit.SECONDS);
            assertThat(got.present()).as("%s: block %d present", context, b).isTrue();
            assertThat(got.block()).as("%s: block %d bytes", context, b).isEqualTo(block(b, acknowledged.get(b)));
        }
    }
}
