package io.kivaloo.tests.containers;

import com.github.dockerjava.api.exception.DockerClientException;
import com.github.dockerjava.api.command.WaitContainerResultCallback;
import com.github.dockerjava.api.model.HealthCheck;
import com.github.dockerjava.api.command.HealthState;
import com.github.dockerjava.api.command.HealthStateLog;
import io.kivaloo.proto.client.KvldsClient;
import io.kivaloo.proto.net.KivalooAddress;
import io.kivaloo.proto.net.Transport;
import io.kivaloo.tests.chain.ChainControl;
import io.kivaloo.tests.chain.Role;
import io.netty.channel.EventLoopGroup;
import org.testcontainers.containers.BindMode;
import org.testcontainers.containers.GenericContainer;
import org.testcontainers.containers.output.OutputFrame;
import org.testcontainers.containers.wait.strategy.Wait;
import org.testcontainers.utility.DockerImageName;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.locks.LockSupport;

/**
 * The chain with each daemon in its own container of the operator image
 * ({@link KivalooImage}, deploy/docker/), all on the host network (the only
 * network these engines have), sharing a bind-mounted host directory mounted
 * at the same path inside, so addresses read the same everywhere:
 *
 * <pre>
 *   lbs    listens on  &lt;dir&gt;/lbs.sock          (Unix socket on the shared volume)
 *   kvlds  listens on  [127.0.0.1]:port          (TCP on loopback), block store over the Unix socket
 *   mux    listens on  &lt;dir&gt;/mux.sock and [127.0.0.1]:port, kvlds over TCP
 * </pre>
 * Each container runs as the image's entrypoint has it: {@code <daemon>
 * <options>}, in the foreground as the container's main process, as the
 * image's user (or as this JVM's user when that is not root, so that it can
 * connect to the sockets the daemons create), with a metrics listener on a
 * free loopback port for the image's HEALTHCHECK. A daemon is up when Docker
 * reports its container {@code healthy} (its {@code /health} answered 200,
 * which a daemon serves only once it is listening); the checks run every
 * second here instead of the image's 10 s, with the image's own command.
 * Logs are appended to {@code <dir>/<stem>.log}. Killing is
 * {@code docker kill --signal KILL}; a restart is a new container on the same
 * directory.
 */
final class ContainerChain implements ChainControl, AutoCloseable {

    private static final Duration START_TIMEOUT = Duration.ofSeconds(180);
    private static final Duration STOP_DEADLINE = Duration.ofSeconds(60);
    private static final long CONNECT_TIMEOUT_SECONDS = 120;
    private static final String JAVA_OPTIONS = "-XX:+UseSerialGC -XX:TieredStopAtLevel=1 -Xmx256m";
    private static final long HEALTH_INTERVAL_NANOS = TimeUnit.SECONDS.toNanos(1);
    private static final int HEALTH_RETRIES = 2;
    private static final long HEALTH_POLL_NANOS = TimeUnit.MILLISECONDS.toNanos(200);

    private final String image;
    private final Path directory;
    private final Path storeDirectory;
    private final KivalooAddress lbsAddress;
    private final KivalooAddress kvldsAddress;
    private final KivalooAddress muxUnixAddress;
    private final KivalooAddress muxTcpAddress;
    private final Map<Role, Integer> metricsPorts = new EnumMap<>(Role.class);
    private final Map<Role, GenericContainer<?>> containers = new EnumMap<>(Role.class);
    private final Transport transport = Transport.best();
    private final EventLoopGroup clientGroup = transport.newEventLoopGroup(1, "container-client");
    private final List<KvldsClient> clients = new ArrayList<>();

    ContainerChain(String image, Path directory) throws IOException {
        this.image = image;
        this.directory = directory;
        this.storeDirectory = Files.createDirectories(directory.resolve("store"));
        // The image's user (uid 10001) creates sockets and block files here.
        Files.setPosixFilePermissions(directory, PosixFilePermissions.fromString("rwxrwxrwx"));
        Files.setPosixFilePermissions(storeDirectory, PosixFilePermissions.fromString("rwxrwxrwx"));
        this.lbsAddress = KivalooAddress.parse(directory.resolve("lbs.sock").toString());
        this.kvldsAddress = KivalooAddress.parse("[127.0.0.1]:" + freePort());
        this.muxUnixAddress = KivalooAddress.parse(directory.resolve("mux.sock").toString());
        this.muxTcpAddress = KivalooAddress.parse("[127.0.0.1]:" + freePort());
        for (Role role : Role.values()) {
            metricsPorts.put(role, freePort());
        }
    }

    /** Starts lbs, kvlds and mux in that order. */
    void startAll() throws IOException {
        for (Role role : Role.values()) {
            start(role);
        }
    }

    /** mux's Unix socket (on the shared volume) and TCP address. */
    KivalooAddress muxAddress(boolean unix) {
        return unix ? muxUnixAddress : muxTcpAddress;
    }

    @Override
    public void start(Role role) throws IOException {
        GenericContainer<?> previous = containers.remove(role);
        if (previous != null) {
            previous.stop();
        }
        Path log = directory.resolve(role.fileStem() + ".log");
        Files.writeString(log, "=== container start: " + String.join(" ", command(role)) + "\n",
                StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        GenericContainer<?> container = new GenericContainer<>(DockerImageName.parse(image))
                .withNetworkMode("host")
                .withFileSystemBind(directory.toString(), directory.toString(), BindMode.READ_WRITE)
                .withEnv("KIVALOO_JAVA_OPTS", JAVA_OPTIONS)
                .withCommand(command(role).toArray(new String[0]))
                .withCreateContainerCmdModifier(create -> {
                    // Interval and retries only: Docker keeps the image's test command.
                    create.withHealthcheck(new HealthCheck().withInterval(HEALTH_INTERVAL_NANOS).withRetries(HEALTH_RETRIES));
                    hostUserIfNotRoot().ifPresent(create::withUser);
                })
                .withLogConsumer(frame -> appendLog(log, frame))
                .waitingFor(Wait.forHealthcheck().withStartupTimeout(START_TIMEOUT));
        containers.put(role, container);
        container.start();
    }

    /**
     * Waits until Docker reports {@code status} ("healthy", "unhealthy") for
     * {@code role}'s container; false if it has not after {@code deadline}.
     */
    boolean awaitHealth(Role role, String status, Duration deadline) {
        GenericContainer<?> container = containers.get(role);
        long end = System.nanoTime() + deadline.toNanos();
        while (!status.equals(health(container))) {
            if (System.nanoTime() - end > 0) {
                return false;
            }
            LockSupport.parkNanos(HEALTH_POLL_NANOS);
        }
        return true;
    }

    /** Docker's health status of {@code role}'s container, with the last check's output. */
    String healthReport(Role role) {
        GenericContainer<?> container = containers.get(role);
        HealthState state = container.getDockerClient().inspectContainerCmd(container.getContainerId()).exec()
                .getState().getHealth();
        if (state == null) {
            return role + ": no health state";
        }
        List<HealthStateLog> checks = state.getLog();
        return role + ": " + state.getStatus()
                + (checks == null || checks.isEmpty() ? "" : ", last check: " + checks.get(checks.size() - 1).getOutput().strip());
    }

    private static String health(GenericContainer<?> container) {
        HealthState state = container.getDockerClient().inspectContainerCmd(container.getContainerId()).exec()
                .getState().getHealth();
        return state == null ? "" : state.getStatus();
    }

    /**
     * The image runs as its own user (uid 10001); root on the host can use the
     * sockets that user creates, anybody else could not: then the containers
     * run as the host's user, as {@code docker run --user} would.
     */
    private Optional<String> hostUserIfNotRoot() {
        try {
            int uid = (Integer) Files.getAttribute(directory, "unix:uid");
            int gid = (Integer) Files.getAttribute(directory, "unix:gid");
            return uid == 0 ? Optional.empty() : Optional.of(uid + ":" + gid);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the owner of " + directory, e);
        }
    }

    /** The entrypoint's command: the daemon's name, then its options (the entrypoint adds -F and a pid file). */
    private List<String> command(Role role) {
        List<String> command = new ArrayList<>();
        switch (role) {
            case BLOCK_STORE:
                command.addAll(List.of("lbs", "-s", lbsAddress.text(), "-d", storeDirectory.toString(), "-b", "4096"));
                break;
            case KVLDS:
                command.addAll(List.of("kvlds", "-s", kvldsAddress.text(), "-l", lbsAddress.text()));
                break;
            case MUX:
                command.addAll(List.of("mux", "-t", kvldsAddress.text(), "-s", muxUnixAddress.text(),
                        "-s", muxTcpAddress.text()));
                break;
            default:
                throw new IllegalArgumentException("role " + role);
        }
        command.addAll(List.of("--metrics-listen", "127.0.0.1:" + metricsPorts.get(role)));
        return command;
    }

    private static void appendLog(Path log, OutputFrame frame) {
        try {
            Files.write(log, frame.getBytes() == null ? new byte[0] : frame.getBytes(), StandardOpenOption.APPEND);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot append to " + log, e);
        }
    }

    @Override
    public void kill(Role role) {
        GenericContainer<?> container = containers.get(role);
        container.getDockerClient().killContainerCmd(container.getContainerId()).withSignal("KILL").exec();
        if (!awaitExit(role, STOP_DEADLINE)) {
            throw new IllegalStateException(role + " container survived SIGKILL for " + STOP_DEADLINE.toSeconds() + " s");
        }
    }

    @Override
    public boolean isRunning(Role role) {
        GenericContainer<?> container = containers.get(role);
        return container != null && container.isRunning();
    }

    @Override
    public boolean awaitExit(Role role, Duration deadline) {
        GenericContainer<?> container = containers.get(role);
        if (container == null || container.getContainerId() == null) {
            return true;
        }
        try {
            container.getDockerClient().waitContainerCmd(container.getContainerId())
                    .exec(new WaitContainerResultCallback())
                    .awaitStatusCode(deadline.toMillis(), TimeUnit.MILLISECONDS);
            return true;
        } catch (DockerClientException timeout) {
            // awaitStatusCode reports its deadline this way; the container is still running.
            return !container.isRunning();
        }
    }

    @Override
    public KvldsClient connect(Role role) throws IOException {
        if (role != Role.MUX && role != Role.KVLDS) {
            throw new IllegalArgumentException("clients connect to mux or kvlds, not " + role);
        }
        return connect(role == Role.MUX ? muxTcpAddress : kvldsAddress);
    }

    /** A new client to {@code address}, closed with the chain. */
    KvldsClient connect(KivalooAddress address) throws IOException {
        try {
            KvldsClient client = KvldsClient.connect(address, clientGroup, transport)
                    .get(CONNECT_TIMEOUT_SECONDS, TimeUnit.SECONDS);
            clients.add(client);
            return client;
        } catch (ExecutionException e) {
            throw new IOException("cannot connect to " + address + ": " + e.getCause().getMessage(), e.getCause());
        } catch (TimeoutException e) {
            throw new IOException("no connection to " + address + " within " + CONNECT_TIMEOUT_SECONDS + " s", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        }
    }

    /** The containers' logs, for a failure report. */
    String report() {
        StringBuilder out = new StringBuilder("container chain directory " + directory + "\n");
        for (Role role : Role.values()) {
            Path log = directory.resolve(role.fileStem() + ".log");
            out.append("----- ").append(role).append(" log ").append(log).append(":\n");
            try {
                out.append(Files.exists(log) ? Files.readString(log, StandardCharsets.UTF_8) : "(none)\n");
            } catch (IOException e) {
                out.append("(cannot read: ").append(e.getMessage()).append(")\n");
            }
        }
        return out.toString();
    }

    /** Closes the clients and stops (and removes) the containers: mux, kvlds, lbs. */
    @Override
    public void close() {
        clients.forEach(KvldsClient::close);
        clients.clear();
        for (Role role : List.of(Role.MUX, Role.KVLDS, Role.BLOCK_STORE)) {
            GenericContainer<?> container = containers.remove(role);
            if (container != null) {
                container.stop();
            }
        }
        clientGroup.shutdownGracefully(0, 0, TimeUnit.SECONDS).syncUninterruptibly();
    }

    private static int freePort() throws IOException {
        try (ServerSocket probe = new ServerSocket()) {
            probe.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
            return probe.getLocalPort();
        }
    }
}
