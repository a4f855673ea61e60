package io.kivaloo.bench.mux;

import io.kivaloo.bench.ProjectRoot;
import io.kivaloo.proto.client.Connector;
import io.kivaloo.proto.client.KvldsClient;
import io.kivaloo.proto.daemon.AddressConverter;
import io.kivaloo.proto.daemon.DaemonCommandLine;
import io.kivaloo.proto.daemon.VersionProvider;
import io.kivaloo.proto.kvlds.Key;
import io.kivaloo.proto.kvlds.KvldsCodec;
import io.kivaloo.proto.kvlds.KvldsRequest;
import io.kivaloo.proto.net.KivalooAddress;
import io.kivaloo.proto.net.Transport;
import io.kivaloo.proto.wire.FrameDecoder;
import io.kivaloo.proto.wire.FrameEncoder;
import io.kivaloo.proto.wire.Packet;
import io.kivaloo.proto.wire.WireFormat;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoop;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

/**
 * Load run for mux (DESIGN.md "Measured figures"): many logical clients,
 * each sending GETs and SETs (half each unless {@code --gets} says otherwise,
 * random keys of a preloaded key space) at random (Poisson) times, open loop, at a fixed total rate; once
 * through one mux, each client on its own connection, and once directly
 * against the kvlds, all clients sharing its one connection (kvlds serves a
 * single connection). Same schedule, same mix, same target; the run order
 * is direct, mux, direct so that drift shows. Reports throughput, p50, p90,
 * p99 and p99.9 latency of GETs and SETs apart (Hazen quantiles, as
 * kivaloo-perf computes them) per run, what mux added at each against the
 * mean of the direct runs, and mux's resident memory (VmRSS, VmHWM from
 * /proc/PID/status), last as a markdown table ({@link LoadReport}). mux runs
 * as its own process, started by its launcher like any operator's mux (the
 * file descriptors of 10,000 connections on each side would not fit one
 * process's limit).
 *
 * <pre>
 * ulimit -n 20000   # check ulimit -Hn
 * java -cp 'bench/target/kivaloo-bench.jar:bench/target/lib/*' io.kivaloo.bench.mux.MuxLoad \
 *     --kvlds /path/to/kvlds.sock [--clients 10000] [--rate 10000] [--gets 0.5] [--seconds 20] [--warmup 5]
 *     [--keys 100000] [--mux launcher]
 * </pre>
 */
public final class MuxLoad {

    private static final long SEED = 0x6d75784c6f6164L;
    private static final int VALUE_LENGTH = 32;
    /** Outstanding requests tracked per logical client; more is counted as overflow and not timed. */
    private static final int SLOTS = 64;

    private final KivalooAddress kvlds;
    private final int clients;
    private final double rate;
    private final int seconds;
    private final int warmup;
    private final int keys;
    /** Share of requests that are GETs. */
    private final double getFraction;
    private final Path workDir;
    /** The launcher of the mux measured: bin/kivaloo-mux of this build, or the C kivaloo-mux. */
    private final Path muxLauncher;
    private final Transport transport = Transport.best();

    private MuxLoad(Options options, Path workDir) {
        this.kvlds = options.kvlds;
        this.clients = options.clients;
        this.rate = options.rate;
        this.seconds = options.seconds;
        this.warmup = options.warmup;
        this.keys = options.keys;
        this.getFraction = options.getFraction;
        this.workDir = workDir;
        this.muxLauncher = options.muxLauncher != null ? options.muxLauncher
                : ProjectRoot.find().resolve("bin").resolve("kivaloo-mux");
    }

    public static void main(String[] args) {
        quietLogging();
        System.exit(DaemonCommandLine.execute("MuxLoad", new Options(), args));
    }

    @Command(name = "MuxLoad", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
            description = "Open-loop GET/SET load, directly against a kvlds and through one mux (mux/DESIGN.md \"Measured figures\").")
    static final class Options implements Callable<Integer> {
        @Option(names = "--kvlds", required = true, paramLabel = "<address>", converter = AddressConverter.class,
                description = "The kvlds to load: /path, host:port or [ip]:port.")
        KivalooAddress kvlds;

        @Option(names = "--clients", paramLabel = "<n>", defaultValue = "10000",
                description = "Logical clients; through mux each has its own connection (default: ${DEFAULT-VALUE}).")
        int clients;

        @Option(names = "--rate", paramLabel = "<req/s>", defaultValue = "10000",
                description = "Total request rate of all clients together (default: ${DEFAULT-VALUE}).")
        double rate;

        @Option(names = "--seconds", paramLabel = "<s>", defaultValue = "20", description = "Measured seconds per run (default: ${DEFAULT-VALUE}).")
        int seconds;

        @Option(names = "--warmup", paramLabel = "<s>", defaultValue = "5", description = "Unmeasured seconds before each run (default: ${DEFAULT-VALUE}).")
        int warmup;

        @Option(names = "--keys", paramLabel = "<n>", defaultValue = "100000", description = "Keys preloaded and drawn from (default: ${DEFAULT-VALUE}).")
        int keys;

        @Option(names = "--gets", paramLabel = "<fraction>", defaultValue = "0.5",
                description = "Share of requests that are GETs, the rest SETs (default: ${DEFAULT-VALUE}).")
        double getFraction;

        @Option(names = "--mux", paramLabel = "<launcher>",
                description = "The mux launcher to measure (default: bin/kivaloo-mux of this build; e.g. ../shared/c-kivaloo/bin/kivaloo-mux).")
        Path muxLauncher;

        @Spec
        CommandSpec spec;

        @Override
        public Integer call() throws Exception {
            if (clients < 1 || rate <= 0 || seconds < 1 || warmup < 0 || keys < 1 || !(getFraction >= 0 && getFraction <= 1)) {
                throw new ParameterException(spec.commandLine(),
                        "need --clients >= 1, --rate > 0, --seconds >= 1, --warmup >= 0, --keys >= 1 and 0 <= --gets <= 1");
            }
            Path work = Files.createTempDirectory("muxload");
            new MuxLoad(this, work).run();
            return 0;
        }
    }

    /** Netty's start-up chatter at DEBUG would drown the figures; a daemon sets its level through its options instead. */
    private static void quietLogging() {
        if (org.slf4j.LoggerFactory.getILoggerFactory() instanceof ch.qos.logback.classic.LoggerContext) {
            ((ch.qos.logback.classic.LoggerContext) org.slf4j.LoggerFactory.getILoggerFactory())
                    .getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME).setLevel(ch.qos.logback.classic.Level.WARN);
        }
    }

    private void run() throws Exception {
        System.out.printf("clients=%d rate=%.0f/s gets=%.2f seconds=%d warmup=%d keys=%d transport=%s%n", clients, rate, getFraction,
                seconds, warmup, keys, transport.name());
        preload();
        Result direct1 = direct();
        System.out.println("direct  " + direct1);
        Result viaMux = throughMux();
        System.out.println("mux     " + viaMux);
        Result direct2 = direct();
        System.out.println("direct  " + direct2);
        // Per type, not overall: with GETs and SETs mixed, the overall median sits where the fast GETs end
        // and the fsync-bound SETs begin, so it jumps between the two populations with the mix of the
        // measured window (mux/DESIGN.md "Measured figures").
        System.out.println();
        System.out.println("latency in us (Hazen quantiles); mux: " + muxLauncher);
        System.out.print(LoadReport.table(direct1.row("direct"), viaMux.row("mux"), direct2.row("direct")));
    }

    private static Key key(int i) {
        return Key.of(String.format("key%08d", i));
    }

    private void preload() throws Exception {
        try (KvldsClient c = KvldsClient.connect(kvlds).get(30, TimeUnit.SECONDS)) {
            Semaphore window = new Semaphore(4096);
            byte[] value = new byte[VALUE_LENGTH];
            List<CompletableFuture<Void>> all = new ArrayList<>();
            for (int i = 0; i < keys; i++) {
                window.acquire();
                CompletableFuture<Void> f = c.set(key(i), Key.of(value));
                f.whenComplete((v, e) -> window.release());
                all.add(f);
            }
            CompletableFuture.allOf(all.toArray(new CompletableFuture[0])).get(300, TimeUnit.SECONDS);
        }
    }

    /** All logical clients over one connection to kvlds. */
    private Result direct() throws Exception {
        EventLoopGroup group = transport.newEventLoopGroup(1, "load-direct");
        try {
            Load load = new Load(clients, rate, keys, getFraction, new Random(SEED));
            Channel ch = connect(kvlds, group, load, -1);
            for (int c = 0; c < clients; c++) {
                load.client(c).channel = ch;
            }
            Result r = load.measure(warmup, seconds, () -> -1L);
            ch.close().syncUninterruptibly();
            return r.withExtra(sequentialGets(kvlds));
        } finally {
            group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
        }
    }

    /**
     * Each logical client on its own connection to a mux started by its
     * launcher, which returns once the mux listens and leaves its pid in the
     * pid file (wire.md §6), as both bin/kivaloo-mux and the C kivaloo-mux do.
     */
    private Result throughMux() throws Exception {
        Path sock = workDir.resolve("mux.sock");
        Path pidFile = workDir.resolve("mux.pid");
        Process launcher = new ProcessBuilder(muxLauncher.toString(), "-t", kvlds.text(), "-s", sock.toString(),
                "-p", pidFile.toString()).inheritIO().start();
        if (launcher.waitFor() != 0) {
            throw new IOException(muxLauncher + " did not start: exit status " + launcher.exitValue());
        }
        long pid = Long.parseLong(Files.readString(pidFile).trim());
        try {
            return measureThrough(KivalooAddress.parse(sock.toString()), muxLauncher.toString(), pid);
        } finally {
            // SIGTERM, then wait for the exit, so that the next direct run has the machine to itself.
            ProcessHandle.of(pid).ifPresent(mux -> {
                mux.destroy();
                mux.onExit().orTimeout(30, TimeUnit.SECONDS).join();
            });
        }
    }

    /** Connects every logical client to the mux at {@code address} (process {@code pid}) and runs the load. */
    private Result measureThrough(KivalooAddress address, String name, long pid) throws Exception {
        EventLoopGroup group = transport.newEventLoopGroup(1, "load-mux");
        try {
            Load load = new Load(clients, rate, keys, getFraction, new Random(SEED));
            List<Channel> channels = new ArrayList<>();
            for (int c = 0; c < clients; c++) {
                channels.add(connectRetrying(address, group, load, c));
            }
            System.out.printf("connected %d clients through %s; mux %s%n", channels.size(), name, memory(pid));
            Result r = load.measure(warmup, seconds, () -> rssBytes(pid));
            for (Channel ch : channels) {
                ch.close();
            }
            for (Channel ch : channels) {
                ch.closeFuture().syncUninterruptibly();
            }
            return r.withExtra(sequentialGets(address));
        } finally {
            group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
        }
    }

    /**
     * One client, one GET at a time, no other load: the cost of the extra
     * hop itself, without the queueing of the open-loop run.
     */
    private String sequentialGets(KivalooAddress address) throws Exception {
        try (KvldsClient c = KvldsClient.connect(address).get(60, TimeUnit.SECONDS)) {
            Random random = new Random(SEED);
            int warm = 2000;
            long[] nanos = new long[5000];
            for (int i = -warm; i < nanos.length; i++) {
                long start = System.nanoTime();
                c.get(key(random.nextInt(keys))).get(60, TimeUnit.SECONDS);
                if (i >= 0) {
                    nanos[i] = System.nanoTime() - start;
                }
            }
            return String.format(" | sequential GET p50=%.1f us", Quantiles.ofNanos(nanos).p50());
        }
    }

    /** mux's VmRSS in bytes, -1 if it cannot be read. */
    private static long rssBytes(long pid) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid), "status"))) {
                if (line.startsWith("VmRSS:")) {
                    return 1024 * Long.parseLong(line.substring(6).trim().split("\\s+")[0]);
                }
            }
            return -1;
        } catch (IOException | NumberFormatException e) {
            System.out.println("mux memory unknown: " + e.getMessage());
            return -1;
        }
    }

    private static String memory(long pid) {
        try {
            String rss = "?";
            String hwm = "?";
            for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid), "status"))) {
                if (line.startsWith("VmRSS:")) {
                    rss = line.substring(6).trim();
                } else if (line.startsWith("VmHWM:")) {
                    hwm = line.substring(6).trim();
                }
            }
            return "VmRSS=" + rss + " VmHWM=" + hwm;
        } catch (IOException e) {
            return "memory unknown (" + e.getMessage() + ")";
        }
    }

    /**
     * A Unix-socket connect fails with EAGAIN while the listen backlog is
     * full, e.g. while the freshly started mux JVM is still compiling its
     * accept path: wait a little and retry.
     */
    private Channel connectRetrying(KivalooAddress address, EventLoopGroup group, Load load, int owner) throws Exception {
        for (int attempt = 1; ; attempt++) {
            try {
                return connect(address, group, load, owner);
            } catch (java.util.concurrent.ExecutionException e) {
                if (attempt == 100) {
                    throw e;
                }
                Thread.sleep(20);
            }
        }
    }

    /** Connects one channel; {@code owner} is the logical client it serves, or -1 for all (IDs then carry the client). */
    private Channel connect(KivalooAddress address, EventLoopGroup group, Load load, int owner) throws Exception {
        Channel ch = Connector.connect(address, group, transport, new ChannelInitializer<Channel>() {
            @Override
            protected void initChannel(Channel c) {
                c.pipeline().addLast(new FrameDecoder(WireFormat.DEFAULT_MAX_RECORD_LENGTH), new FrameEncoder(),
                        new SimpleChannelInboundHandler<Packet>() {
                            @Override
                            protected void channelRead0(ChannelHandlerContext ctx, Packet p) {
                                load.client((int) (p.id() >>> 32)).answered(p);
                            }
                        });
            }
        }).get(60, TimeUnit.SECONDS);
        if (owner >= 0) {
            load.client(owner).channel = ch;
        }
        return ch;
    }

    /** Throughput and latency of one run; {@code rssBytes} is mux's VmRSS at the end of the window, -1 for a direct run. */
    record Result(long completed, double seconds, Quantiles all, Quantiles gets, Quantiles sets, long overflow,
                  long rssBytes, String extra) {
        Result withExtra(String more) {
            return new Result(completed, seconds, all, gets, sets, overflow, rssBytes, extra + more);
        }

        LoadReport.Run row(String name) {
            return new LoadReport.Run(name, gets, sets, completed / seconds, rssBytes);
        }

        @Override
        public String toString() {
            return String.format("throughput=%.0f req/s p50=%.1f us p99=%.1f us (GET p50=%.1f us, SET p50=%.1f us) untimed=%d%s%s",
                    completed / seconds, all.p50(), all.p99(), gets.p50(), sets.p50(), overflow,
                    rssBytes < 0 ? "" : String.format(" mux VmRSS=%.1f MB", rssBytes / 1e6), extra);
        }
    }

    /** The open-loop schedule and the latency samples of all logical clients. */
    private static final class Load {
        private final LogicalClient[] clients;
        private final double perClientRate;
        private final int keys;
        private final double getFraction;
        volatile boolean recording;
        volatile boolean stopped;

        Load(int n, double totalRate, int keys, double getFraction, Random random) {
            this.clients = new LogicalClient[n];
            this.getFraction = getFraction;
            this.perClientRate = totalRate / n;
            this.keys = keys;
            for (int i = 0; i < n; i++) {
                clients[i] = new LogicalClient(this, i, random.nextLong());
            }
        }

        LogicalClient client(int i) {
            return clients[i];
        }

        /** {@code rss} samples mux's resident memory at the end of the measured window (-1 for none). */
        Result measure(int warmupSeconds, int seconds, java.util.function.LongSupplier rss) throws InterruptedException {
            for (LogicalClient c : clients) {
                c.start();
            }
            Thread.sleep(warmupSeconds * 1000L);
            recording = true;
            long start = System.nanoTime();
            Thread.sleep(seconds * 1000L);
            long rssBytes = rss.getAsLong();
            recording = false;
            double elapsed = (System.nanoTime() - start) / 1e9;
            stopped = true;
            // Let the loops see the flag and the last answers arrive.
            Thread.sleep(1000);
            long[] all = new long[0];
            long[] gets = new long[0];
            long[] sets = new long[0];
            long completed = 0;
            long overflow = 0;
            for (LogicalClient c : clients) {
                synchronized (c) {
                    all = concat(all, c.gets.toArray(), c.sets.toArray());
                    gets = concat(gets, c.gets.toArray());
                    sets = concat(sets, c.sets.toArray());
                    overflow += c.overflow;
                }
            }
            completed = all.length;
            return new Result(completed, elapsed, Quantiles.ofNanos(all), Quantiles.ofNanos(gets), Quantiles.ofNanos(sets),
                    overflow, rssBytes, "");
        }

        private static long[] concat(long[] a, long[]... more) {
            int n = a.length;
            for (long[] m : more) {
                n += m.length;
            }
            long[] out = Arrays.copyOf(a, n);
            int at = a.length;
            for (long[] m : more) {
                System.arraycopy(m, 0, out, at, m.length);
                at += m.length;
            }
            return out;
        }
    }

    /** A growable array of longs. */
    private static final class Samples {
        private long[] values = new long[16];
        private int size;

        void add(long v) {
            if (size == values.length) {
                values = Arrays.copyOf(values, size * 2);
            }
            values[size++] = v;
        }

        long[] toArray() {
            return Arrays.copyOf(values, size);
        }
    }

    /** One simulated client: Poisson arrivals, half GETs and half SETs. */
    private static final class LogicalClient {
        private final Load load;
        private final int index;
        private final Random random;
        private final long[] sentAt = new long[SLOTS];
        private final boolean[] isGet = new boolean[SLOTS];
        private final Samples gets = new Samples();
        private final Samples sets = new Samples();
        private final byte[] value = new byte[VALUE_LENGTH];
        private long seq;
        private long overflow;
        Channel channel;

        LogicalClient(Load load, int index, long seed) {
            this.load = load;
            this.index = index;
            this.random = new Random(seed);
        }

        void start() {
            EventLoop loop = channel.eventLoop();
            loop.execute(() -> scheduleNext(loop));
        }

        private void scheduleNext(EventLoop loop) {
            if (load.stopped) {
                return;
            }
            double delaySeconds = -Math.log(1 - random.nextDouble()) / load.perClientRate;
            loop.schedule(() -> {
                send();
                scheduleNext(loop);
            }, (long) (delaySeconds * 1e9), TimeUnit.NANOSECONDS);
        }

        private void send() {
            long s = seq++;
            int slot = (int) (s % SLOTS);
            boolean get = random.nextDouble() < load.getFraction;
            Key k = key(random.nextInt(load.keys));
            byte[] record;
            if (get) {
                record = KvldsCodec.encodeRequest(new KvldsRequest.Get(k));
            } else {
                random.nextBytes(value);
                record = KvldsCodec.encodeRequest(new KvldsRequest.Set(k, Key.of(value)));
            }
            if (sentAt[slot] != 0) {
                overflow++;
            }
            sentAt[slot] = System.nanoTime();
            isGet[slot] = get;
            channel.writeAndFlush(new Packet((long) index << 32 | (s & 0xffffffffL), record), channel.voidPromise());
        }

        void answered(Packet p) {
            long now = System.nanoTime();
            int slot = (int) ((p.id() & 0xffffffffL) % SLOTS);
            long sent = sentAt[slot];
            sentAt[slot] = 0;
            if (sent != 0 && load.recording) {
                synchronized (this) {
                    (isGet[slot] ? gets : sets).add(now - sent);
                }
            }
        }
    }
}
