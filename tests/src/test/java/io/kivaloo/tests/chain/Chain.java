package io.kivaloo.tests.chain;

import io.kivaloo.proto.client.BlockingKvldsClient;
import io.kivaloo.proto.client.KvldsClient;
import io.kivaloo.proto.net.KivalooAddress;
import io.kivaloo.proto.net.Transport;
import io.netty.channel.EventLoopGroup;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * A running kivaloo chain — block store, kvlds, mux — as three separate OS
 * processes in a fresh temporary directory, the way an operator deploys it.
 * This is the fixture every process-based suite uses.
 *
 * <pre>
 *   try (Chain chain = Chain.builder().wiring(Wiring.TCP).start()) {
 *       BlockingKvldsClient client = chain.client();      // through mux
 *       client.set(Key.of("k"), Key.of("v"));
 *       chain.kill(Role.KVLDS);                          // SIGKILL, waits until it is gone
 *       chain.start(Role.KVLDS);                         // same data, same address
 *   }                                                    // stops every daemon it started, and only those
 * </pre>
 *
 * <h2>Start-up</h2>
 * Each daemon is started through its launcher with the original short
 * options ({@code -s}, {@code -d}, {@code -b}, {@code -l}, {@code -t},
 * {@code -p}) and is ready when the launcher returns 0 (wire.md §6): no
 * sleeps. Which programs run is a {@link DaemonBinaries} (system properties by
 * default); the block store is any {@link BlockStoreDaemon}, so the suites run
 * against every backend that speaks the LBS protocol.
 *
 * <h2>Directory</h2>
 * {@code <dir>/<stem>.sock} (Unix wiring), {@code <stem>.pid},
 * {@code <stem>.log} (everything each incarnation wrote on stdout/stderr,
 * plus a header per start) and {@code store/} (the block store's data), with
 * stems lbs, kvlds, mux. The directory survives {@link #close()} so that logs
 * can be read after a failure; {@link ChainExtension} deletes it after a
 * passing test and prints {@link #report()} after a failing one.
 *
 * <h2>Wiring</h2>
 * {@link Wiring#UNIX} or {@link Wiring#TCP} on loopback, for the links between
 * the daemons and for the clients alike. A TCP port found free may be taken
 * before the daemon binds it; the first start then retries on new ports.
 * Restarts reuse the address (and port) of the first start.
 *
 * <h2>Stopping</h2>
 * {@link #stop} sends SIGTERM, {@link #kill} SIGKILL, and both return once the
 * process is gone. {@link #close()} closes the chain's clients, then stops
 * mux, kvlds and the block store (SIGTERM, SIGKILL after a deadline). Only
 * pids read from the pid files of daemons this chain started are signalled.
 * A JVM shutdown hook SIGKILLs them too if the test JVM exits without
 * closing the chain.
 *
 * <p>Not thread-safe: drive a chain from the test thread.
 */
public final class Chain implements ChainControl, AutoCloseable {

    /** First starts on TCP retry on new ports this often (a port found free can be taken before the bind). */
    private static final int TCP_START_ATTEMPTS = 3;
    /** Per-request timeout of the blocking clients: generous for a busy machine. */
    private static final long CLIENT_TIMEOUT_MILLIS = 120_000;

    private final Path directory;
    private final Path storeDirectory;
    private final Wiring wiring;
    private final DaemonBinaries binaries;
    private final List<String> kvldsOptions;
    private final List<String> muxOptions;
    private final Map<Role, DaemonProcess> daemons = new EnumMap<>(Role.class);
    private final Map<Role, KivalooAddress> addresses = new EnumMap<>(Role.class);
    private final Transport transport = Transport.best();
    private final List<AutoCloseable> clients = new ArrayList<>();
    private final Thread shutdownHook = new Thread(this::killAll, "chain-shutdown-hook");
    private EventLoopGroup clientGroup;
    private boolean closed;

    private Chain(Builder builder) throws IOException {
        this.directory = Files.createTempDirectory(builder.parent, "kivaloo-chain-");
        this.storeDirectory = Files.createDirectory(directory.resolve("store"));
        this.wiring = builder.wiring;
        this.binaries = builder.binaries;
        this.kvldsOptions = List.copyOf(builder.kvldsOptions);
        this.muxOptions = List.copyOf(builder.muxOptions);
        Map<String, String> environment = Map.of("KIVALOO_JAVA_OPTS", builder.javaOptions);
        for (Role role : Role.values()) {
            Map<String, String> roleEnvironment = new HashMap<>(environment);
            if (role == Role.BLOCK_STORE) {
                roleEnvironment.putAll(binaries.blockStore().environment());
            }
            daemons.put(role, new DaemonProcess(role, directory.resolve(role.fileStem() + ".pid"),
                    directory.resolve(role.fileStem() + ".log"), roleEnvironment));
        }
        Runtime.getRuntime().addShutdownHook(shutdownHook);
    }

    public static Builder builder() {
        return new Builder();
    }

    /** The chain's directory: sockets, pid files, logs, store/. */
    public Path directory() {
        return directory;
    }

    /** The block store's data directory ({@code {dir}} in a block-store template). */
    public Path storeDirectory() {
        return storeDirectory;
    }

    public Wiring wiring() {
        return wiring;
    }

    public DaemonBinaries binaries() {
        return binaries;
    }

    /** Where {@code role} listens; fixed once it has started the first time. */
    public KivalooAddress address(Role role) {
        KivalooAddress address = addresses.get(role);
        if (address == null) {
            throw new IllegalStateException(role + " has not been started");
        }
        return address;
    }

    /**
     * Starts {@code role} (again) on the chain's data, at its previous address
     * if it had one, and returns once it is ready. The daemon it connects to
     * must be running.
     */
    @Override
    public void start(Role role) throws IOException {
        checkOpen();
        DaemonProcess daemon = daemons.get(role);
        boolean first = !addresses.containsKey(role);
        for (int attempt = 1; ; attempt++) {
            if (first) {
                addresses.put(role, wiring.allocate(directory, role));
            } else {
                removeStaleSocket(role);
            }
            try {
                daemon.start(command(role));
                return;
            } catch (DaemonStartException e) {
                if (!first || wiring != Wiring.TCP || attempt == TCP_START_ATTEMPTS) {
                    if (first) {
                        addresses.remove(role);
                    }
                    throw e;
                }
                // Most likely the port was taken between allocation and bind: try another.
            }
        }
    }

    private List<String> command(Role role) {
        List<String> command = new ArrayList<>();
        switch (role) {
            case BLOCK_STORE:
                command.addAll(binaries.blockStore().command(address(role), storeDirectory));
                break;
            case KVLDS:
                command.addAll(List.of(binaries.kvlds().toString(), "-s", address(role).text(),
                        "-l", address(Role.BLOCK_STORE).text()));
                command.addAll(kvldsOptions);
                break;
            case MUX:
                command.addAll(List.of(binaries.mux().toString(), "-t", address(Role.KVLDS).text(),
                        "-s", address(role).text()));
                command.addAll(muxOptions);
                break;
            default:
                throw new IllegalArgumentException("role " + role);
        }
        if (binaries.isOurs(role)) {
            // Lifecycle lines (listening, ready, stopping) make a failure report readable.
            command.addAll(List.of("--log-level", "info"));
        }
        return command;
    }

    /**
     * The C daemons never unlink their socket, and bind fails on a stale one
     * (wire.md §5); the original scripts rm it. Our daemons detect stale
     * sockets themselves, which restarts after SIGKILL exercise, so theirs
     * stay.
     */
    private void removeStaleSocket(Role role) throws IOException {
        KivalooAddress address = address(role);
        if (address instanceof KivalooAddress.Unix && !binaries.isOurs(role) && !daemons.get(role).isRunning()) {
            Files.deleteIfExists(((KivalooAddress.Unix) address).path());
        }
    }

    /** SIGTERM to {@code role}; returns once it has exited (SIGKILL after a deadline). */
    public void stop(Role role) {
        daemons.get(role).stop();
    }

    /** SIGKILL to {@code role}; returns once it is gone. */
    @Override
    public void kill(Role role) {
        daemons.get(role).kill();
    }

    /** True while the last started incarnation of {@code role} is alive. */
    @Override
    public boolean isRunning(Role role) {
        return daemons.get(role).isRunning();
    }

    /** Waits for {@code role} to exit by itself (e.g. kvlds after losing its block store); true if it did. */
    @Override
    public boolean awaitExit(Role role, Duration deadline) {
        return daemons.get(role).awaitExit(deadline);
    }

    /** The pid of the last started incarnation of {@code role}. */
    public long pid(Role role) {
        return daemons.get(role).pid();
    }

    /** A new pipelined client connected to {@code role} (MUX or KVLDS), closed with the chain. */
    @Override
    public KvldsClient connect(Role role) throws IOException {
        checkOpen();
        if (clientGroup == null) {
            clientGroup = transport.newEventLoopGroup(2, "chain-client");
        }
        try {
            KvldsClient client = KvldsClient.connect(address(role), clientGroup, transport)
                    .get(CLIENT_TIMEOUT_MILLIS, TimeUnit.MILLISECONDS);
            clients.add(client);
            return client;
        } catch (ExecutionException e) {
            throw new IOException("cannot connect to " + role + " at " + address(role) + ": "
                    + e.getCause().getMessage(), e.getCause());
        } catch (TimeoutException e) {
            throw new IOException("no connection to " + role + " at " + address(role) + " within "
                    + CLIENT_TIMEOUT_MILLIS + " ms", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        }
    }

    /** A new blocking client connected through mux, closed with the chain. */
    public BlockingKvldsClient client() throws IOException {
        return new BlockingKvldsClient(connect(Role.MUX), CLIENT_TIMEOUT_MILLIS);
    }

    /** Directory, pids and the last lines of every daemon's log: what a failure report needs. */
    public String report() {
        StringBuilder out = new StringBuilder();
        out.append("chain directory ").append(directory).append(" wiring ").append(wiring)
                .append(" block store ").append(binaries.blockStore()).append('\n');
        for (DaemonProcess daemon : daemons.values()) {
            out.append("----- ").append(daemon.role()).append(daemon.isRunning() ? " running" : " not running")
                    .append(", log ").append(daemon.logFile()).append(" (last 100 lines):\n")
                    .append(daemon.logTail(100)).append('\n');
        }
        return out.toString();
    }

    /** Closes the clients and stops mux, kvlds and the block store, in that order. Idempotent. */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        for (AutoCloseable client : clients) {
            try {
                client.close();
            } catch (Exception e) {
                throw new IllegalStateException("closing a client of chain " + directory, e);
            }
        }
        clients.clear();
        stopAll();
        if (clientGroup != null) {
            clientGroup.shutdownGracefully(0, 0, TimeUnit.SECONDS).syncUninterruptibly();
        }
        try {
            Runtime.getRuntime().removeShutdownHook(shutdownHook);
        } catch (IllegalStateException shuttingDown) {
            // The JVM is exiting: the hook is running or about to, and kills nothing that is still running.
        }
    }

    private void stopAll() {
        for (Role role : List.of(Role.MUX, Role.KVLDS, Role.BLOCK_STORE)) {
            daemons.get(role).stop();
        }
    }

    private void killAll() {
        for (DaemonProcess daemon : daemons.values()) {
            daemon.signal(true);
        }
    }

    private void checkOpen() {
        if (closed) {
            throw new IllegalStateException("chain " + directory + " is closed");
        }
    }

    /** Deletes the chain's directory; the chain must be closed. */
    public void deleteDirectory() throws IOException {
        if (!closed) {
            throw new IllegalStateException("close the chain before deleting " + directory);
        }
        try (var paths = Files.walk(directory)) {
            for (Path path : (Iterable<Path>) paths.sorted(java.util.Comparator.reverseOrder())::iterator) {
                Files.deleteIfExists(path);
            }
        }
    }

    /** Configures and starts a {@link Chain}. */
    public static final class Builder {

        private Wiring wiring = Wiring.UNIX;
        private DaemonBinaries binaries;
        private BlockStoreDaemon blockStore;
        private final List<String> kvldsOptions = new ArrayList<>();
        private final List<String> muxOptions = new ArrayList<>();
        /** Three JVMs plus the tests share 2 cores: small heaps, the serial collector, no C2 warm-up spikes. */
        private String javaOptions = System.getProperty("kivaloo.javaOpts",
                "-XX:+UseSerialGC -XX:TieredStopAtLevel=1 -Xmx256m");
        private Path parent = Path.of(System.getProperty("java.io.tmpdir"));

        private Builder() {
        }

        public Builder wiring(Wiring wiring) {
            this.wiring = wiring;
            return this;
        }

        /** The programs to run; default {@link DaemonBinaries#fromSystemProperties()}. */
        public Builder binaries(DaemonBinaries binaries) {
            this.binaries = binaries;
            return this;
        }

        /** Replaces the block store of the binaries. */
        public Builder blockStore(BlockStoreDaemon blockStore) {
            this.blockStore = blockStore;
            return this;
        }

        /** Extra kvlds options, e.g. {@code -C 1024}. */
        public Builder kvldsOptions(String... options) {
            kvldsOptions.addAll(List.of(options));
            return this;
        }

        /** Extra mux options, e.g. {@code -n 4}. */
        public Builder muxOptions(String... options) {
            muxOptions.addAll(List.of(options));
            return this;
        }

        /** JVM options for our daemons (the launchers' KIVALOO_JAVA_OPTS). */
        public Builder javaOptions(String options) {
            this.javaOptions = options;
            return this;
        }

        /** Where the chain's temporary directory is created (default java.io.tmpdir; keep Unix socket paths short). */
        public Builder parentDirectory(Path parent) {
            this.parent = parent;
            return this;
        }

        /** Creates the directory and starts the block store, kvlds and mux; on failure stops what started. */
        public Chain start() throws IOException {
            if (binaries == null) {
                binaries = DaemonBinaries.fromSystemProperties();
            }
            if (blockStore != null) {
                binaries = binaries.withBlockStore(blockStore);
            }
            Chain chain = new Chain(this);
            try {
                for (Role role : Role.values()) {
                    chain.start(role);
                }
                return chain;
            } catch (IOException | RuntimeException e) {
                chain.close();
                throw e;
            }
        }
    }
}
