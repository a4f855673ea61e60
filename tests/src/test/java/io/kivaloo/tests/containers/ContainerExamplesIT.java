package io.kivaloo.tests.containers;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.command.HealthState;
import io.kivaloo.tests.chain.DaemonBinaries;
import io.kivaloo.tests.tools.ToolRun;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.junit.jupiter.Testcontainers;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The two examples of docs/operations.md "Containers", run as an operator
 * runs them, on the operator image: deploy/docker/examples/chain-unix.sh (three
 * containers without a network, Unix sockets on a shared volume, the
 * entrypoint's defaults) and chain-tcp.sh (TCP on the host's loopback). Each
 * serves kivaloo-cli in a throw-away container of the image, and Docker
 * reports each daemon's container healthy by the image's own HEALTHCHECK (at
 * its own 10 s interval). The Unix chain keeps its data across down and up
 * (the data volume). Nothing the scripts run warns on stderr. Skipped where no Docker engine is reachable.
 */
@Testcontainers(disabledWithoutDocker = true)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ContainerExamplesIT {

    private static final List<String> DAEMONS = List.of("lbs", "kvlds", "mux");
    /** The image's HEALTHCHECK runs every 10 s; the first check after that much. */
    private static final Duration HEALTH_DEADLINE = Duration.ofSeconds(120);
    private static final long HEALTH_POLL_NANOS = TimeUnit.MILLISECONDS.toNanos(500);

    private Path examples;
    private String image;

    @TempDir
    Path scratch;

    @BeforeAll
    void buildImage(@TempDir Path buildScratch) throws Exception {
        Path root = DaemonBinaries.fromSystemProperties().root();
        KivalooImage.assumeBuilt(root);
        image = KivalooImage.build(root, buildScratch.resolve("build-image.log"));
        examples = root.resolve("deploy/docker/examples");
    }

    @Test
    void unixSocketChainServesTheCliIsHealthyAndKeepsItsDataAcrossDownAndUp() throws Exception {
        Map<String, String> env = environment("unix");
        try {
            run(env, "chain-unix.sh", "up");
            assertHealthy(env.get("KIVALOO_NAME"));
            run(env, "chain-unix.sh", "cli", "set", "café", "au lait");
            assertThat(out(run(env, "chain-unix.sh", "cli", "get", "café"))).isEqualTo("au lait\n");

            run(env, "chain-unix.sh", "down");
            run(env, "chain-unix.sh", "up");
            assertThat(out(run(env, "chain-unix.sh", "cli", "get", "café"))).isEqualTo("au lait\n");
        } finally {
            run(env, "chain-unix.sh", "purge");
        }
    }

    @Test
    void tcpChainServesTheCliAndIsHealthy() throws Exception {
        Map<String, String> env = environment("tcp");
        for (String port : List.of("KIVALOO_LBS_PORT", "KIVALOO_KVLDS_PORT", "KIVALOO_MUX_PORT",
                "KIVALOO_LBS_METRICS_PORT", "KIVALOO_KVLDS_METRICS_PORT", "KIVALOO_MUX_METRICS_PORT")) {
            env.put(port, Integer.toString(freePort()));
        }
        try {
            run(env, "chain-tcp.sh", "up");
            assertHealthy(env.get("KIVALOO_NAME"));
            run(env, "chain-tcp.sh", "cli", "set", "k", "v");
            assertThat(out(run(env, "chain-tcp.sh", "cli", "get", "k"))).isEqualTo("v\n");
        } finally {
            run(env, "chain-tcp.sh", "purge");
        }
    }

    /** The example's names under a prefix of this run, on the image just built. */
    private Map<String, String> environment(String example) {
        Map<String, String> env = new HashMap<>();
        env.put("KIVALOO_IMAGE", image);
        env.put("KIVALOO_NAME", "kivaloo-it-" + example + "-" + ProcessHandle.current().pid());
        return env;
    }

    private ToolRun run(Map<String, String> env, String script, String... arguments) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>();
        command.add(examples.resolve(script).toString());
        command.addAll(List.of(arguments));
        ToolRun run = ToolRun.run(scratch, command, null, env);
        assertThat(run.status()).as(run.toString()).isZero();
        // Nothing to warn about, from docker or the JVMs (Netty warned in a container without a network).
        assertThat(run.errorLines()).as(run.toString()).noneMatch(line -> line.contains("WARN"));
        return run;
    }

    private static String out(ToolRun run) {
        return new String(run.stdout(), StandardCharsets.UTF_8);
    }

    /** Waits until Docker reports each daemon's container of the example {@code name} healthy. */
    private static void assertHealthy(String name) {
        DockerClient docker = DockerClientFactory.instance().client();
        for (String daemon : DAEMONS) {
            String container = name + "-" + daemon;
            long end = System.nanoTime() + HEALTH_DEADLINE.toNanos();
            String status;
            while (!"healthy".equals(status = status(docker, container))) {
                assertThat(System.nanoTime() - end).as(container + " health " + status + " after "
                        + HEALTH_DEADLINE.toSeconds() + " s").isNegative();
                LockSupport.parkNanos(HEALTH_POLL_NANOS);
            }
        }
    }

    private static String status(DockerClient docker, String container) {
        HealthState health = docker.inspectContainerCmd(container).exec().getState().getHealth();
        return health == null ? "none" : health.getStatus();
    }

    private static int freePort() throws IOException {
        try (ServerSocket probe = new ServerSocket()) {
            probe.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
            return probe.getLocalPort();
        }
    }
}
