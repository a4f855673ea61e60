package io.kivaloo.tests.containers;

import com.github.dockerjava.api.exception.DockerClientException;
import com.github.dockerjava.api.command.WaitContainerResultCallback;
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
import org.testcontainers.images.builder.ImageFromDockerfile;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The chain with each daemon in its own container of the {@link KivalooImage},
 * all on the host network (the only network these engines have), sharing a
 * bind-mounted host directory mounted at the same path inside, so addresses
 * read the same everywhere:
 *
 * <pre>
 *   lbs    listens on  &lt;dir&gt;/lbs.sock          (Unix socket on the shared volume)
 *   kvlds  listens on  [127.0.0.1]:port          (TCP on loopback), block store over the Unix socket
 *   mux    listens on  &lt;dir&gt;/mux.sock and [127.0.0.1]:port, kvlds over TCP
 * </pre>
 * Each container runs its launcher with -F (the JVM is the container's main
 * process) and {@code --log-level info}; a daemon is ready when its log shows
 * its {@code ready} line (the daemon logs it after binding and writing its pid
 * file). Logs are appended to {@code <dir>/<stem>.log}. Killing is
 * {@code docker kill --signal KILL}; a restart is a new container on the same
 * directory.
 */
final class ContainerChain implements ChainControl, AutoCloseable {

    private static final Duration START_TIMEOUT = Duration.ofSeconds(180);
    private static final Duration STOP_DEADLINE = Duration.ofSeconds(60);
    private static final long CONNECT_TIMEOUT_SECONDS = 120;
    private static final String JAVA_OPTIONS = "-XX:+UseSerialGC -XX:TieredStopAtLevel=1 -Xmx256m";

    private final ImageFromDockerfile image;
    private final Path directory;
    private final Path storeDirectory;
    private final KivalooAddress lbsAddress;
    private final KivalooAddress kvldsAddress;
    private final KivalooAddress muxUnixAddress;
    private final KivalooAddress muxTcpAddress;
    private final Map<Role, GenericContainer<?>> containers = new EnumMap<>(Role.class);
    private final Transport transport = Transport.best();
    private final EventLoopGroup clientGroup = transport.newEventLoopGroup(1, "container-client");
    private final List<KvldsClient> clients = new ArrayList<>();

    ContainerChain(ImageFromDockerfile image, Path directory) throws IOException {
        this.image = image;
        this.directory = directory;
        this.storeDirectory = Files.createDirectories(directory.resolve("store"));
        this.lbsAddress = KivalooAddress.parse(directory.resolve("lbs.sock").toString());
        this.kvldsAddress = KivalooAddress.parse("[127.0.0.1]:" + freePort());
        this.muxUnixAddress = KivalooAddress.parse(directory.resolve("mux.sock").toString());
        this.muxTcpAddress = KivalooAddress.parse("[127.0.0.1]:" + freePort());
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
        GenericContainer<?> container = new GenericContainer<>(image)
                .withNetworkMode("host")
                .withFileSystemBind(directory.toString(), directory.toString(), BindMode.READ_WRITE)
                .withEnv("KIVALOO_JAVA_OPTS", JAVA_OPTIONS)
                .withCommand(command(role).toArray(new String[0]))
                .withLogConsumer(frame -> appendLog(log, frame))
                .waitingFor(Wait.forLogMessage(".* ready pid=.*\\n", 1).withStartupTimeout(START_TIMEOUT));
        containers.put(role, container);
        container.start();
    }

    private List<String> command(Role role) {
        String bin = KivalooImage.INSTALL_DIRECTORY + "/bin/";
        String pidFile = "/tmp/" + role.fileStem() + ".pid";
        List<String> command = new ArrayList<>();
        switch (role) {
            case BLOCK_STORE:
                command.addAll(List.of(bin + "kivaloo-lbs", "-s", lbsAddress.text(), "-d", storeDirectory.toString(),
                        "-b", "4096"));
                break;
            case KVLDS:
                command.addAll(List.of(bin + "kivaloo-kvlds", "-s", kvldsAddress.text(), "-l", lbsAddress.text()));
                break;
            case MUX:
                command.addAll(List.of(bin + "kivaloo-mux", "-t", kvldsAddress.text(), "-s", muxUnixAddress.text(),
                        "-s", muxTcpAddress.text()));
                break;
            default:
                throw new IllegalArgumentException("role " + role);
        }
        command.addAll(List.of("-F", "-p", pidFile, "--log-level", "info"));
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
