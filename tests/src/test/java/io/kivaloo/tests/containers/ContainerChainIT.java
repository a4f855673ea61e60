package io.kivaloo.tests.containers;

import io.kivaloo.proto.client.BlockingKvldsClient;
import io.kivaloo.proto.kvlds.Key;
import io.kivaloo.proto.kvlds.KvldsResponse;
import io.kivaloo.tests.chain.DaemonBinaries;
import io.kivaloo.tests.chain.Role;
import io.kivaloo.tests.durability.ChainRestart;
import io.kivaloo.tests.durability.WriteLedger;
import io.kivaloo.tests.durability.Writer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.testcontainers.junit.jupiter.Testcontainers;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The chain deployed as containers ({@link ContainerChain}) of the operator
 * image, built by deploy/docker/build-image.sh from this build's artifacts:
 * each daemon in its own container, Unix sockets on a shared volume and TCP on
 * the host's loopback, each container reported healthy by the image's
 * HEALTHCHECK before the next starts. Skipped, with Testcontainers' message,
 * where no Docker engine is reachable; CI provisions one
 * (tests/docker/docker-up.sh) so that these really run there.
 */
@Testcontainers(disabledWithoutDocker = true)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ContainerChainIT {

    private static final int WRITERS = 2;
    private static final int ACKS_BEFORE_KILL = 16;
    private static final long PROGRESS_DEADLINE_SECONDS = 180;
    private static final Duration HEALTH_DEADLINE = Duration.ofSeconds(120);

    private String image;
    private Path directory;
    private ContainerChain chain;
    private boolean passed;

    @BeforeAll
    void buildImage(@TempDir Path scratch) throws Exception {
        Path root = DaemonBinaries.fromSystemProperties().root();
        KivalooImage.assumeBuilt(root);
        image = KivalooImage.build(root, scratch.resolve("build-image.log"));
        System.out.println("ContainerChainIT: image " + image + " on base image " + KivalooImage.baseImage());
    }

    @BeforeEach
    void startChain() throws IOException {
        directory = Files.createTempDirectory("kivaloo-containers-");
        chain = new ContainerChain(image, directory);
        chain.startAll();
    }

    @AfterEach
    void stopChain() throws IOException {
        if (!passed) {
            System.err.println(chain.report());
        }
        chain.close();
        if (passed) {
            try (Stream<Path> paths = Files.walk(directory)) {
                for (Path path : (Iterable<Path>) paths.sorted(Comparator.reverseOrder())::iterator) {
                    Files.deleteIfExists(path);
                }
            }
        } else {
            System.err.println("kept container chain directory " + directory);
        }
    }

    @Test
    void containersServeOverTheSharedUnixSocketAndOverTcp() throws Exception {
        try (BlockingKvldsClient unix = new BlockingKvldsClient(chain.connect(chain.muxAddress(true)), 120_000);
             BlockingKvldsClient tcp = new BlockingKvldsClient(chain.connect(chain.muxAddress(false)), 120_000)) {
            for (int i = 0; i < 100; i++) {
                unix.set(Key.of("unix-" + i), Key.of("u" + i));
                tcp.set(Key.of("tcp-" + i), Key.of("t" + i));
            }
            for (int i = 0; i < 100; i++) {
                assertThat(tcp.get(Key.of("unix-" + i))).isEqualTo(Key.of("u" + i));
                assertThat(unix.get(Key.of("tcp-" + i))).isEqualTo(Key.of("t" + i));
            }
            assertThat(unix.scan(Key.EMPTY, Key.EMPTY)).hasSize(200);
        }
        passed = true;
    }

    @Test
    void killedContainersRestartWithEveryAcknowledgedWrite() throws Exception {
        long seed = Long.getLong("kivaloo.seed", new Random().nextLong());
        System.out.println("ContainerChainIT kill cycles seed=" + seed);
        WriteLedger ledger = new WriteLedger();
        Random seeds = new Random(seed);
        for (Role victim : List.of(Role.KVLDS, Role.BLOCK_STORE, Role.MUX)) {
            List<Writer> writers = new ArrayList<>();
            try {
                for (int id = 0; id < WRITERS; id++) {
                    writers.add(new Writer(id, chain.connect(Role.MUX), ledger, seeds.nextLong(), ACKS_BEFORE_KILL));
                }
                for (Writer writer : writers) {
                    assertThat(writer.awaitProgress(PROGRESS_DEADLINE_SECONDS)).as("writer progress").isTrue();
                }
                chain.kill(victim);
            } finally {
                for (Writer writer : writers) {
                    writer.close();
                }
            }
            if (victim == Role.KVLDS) {
                // mux's /health answers 503 "target down": its container's HEALTHCHECK fails.
                assertThat(chain.awaitHealth(Role.MUX, "unhealthy", HEALTH_DEADLINE))
                        .as(chain.healthReport(Role.MUX)).isTrue();
            }
            ChainRestart.restore(chain, victim);
            for (Role role : Role.values()) {
                assertThat(chain.awaitHealth(role, "healthy", HEALTH_DEADLINE)).as(chain.healthReport(role)).isTrue();
            }
            Map<Key, Key> stored = new TreeMap<>();
            try (BlockingKvldsClient reader = new BlockingKvldsClient(chain.connect(Role.MUX), 120_000)) {
                ChainRestart.drainThroughMux(reader);
                for (KvldsResponse.Pair pair : reader.scan(Key.EMPTY, Key.EMPTY)) {
                    stored.put(pair.key(), pair.value());
                }
            }
            assertThat(ledger.verifyAndSettle(stored)).as("after docker kill of " + victim + ", seed " + seed).isEmpty();
        }
        passed = true;
    }
}
