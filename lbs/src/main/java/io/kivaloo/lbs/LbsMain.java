package io.kivaloo.lbs;

import io.kivaloo.lbs.server.LbsConfig;
import io.kivaloo.lbs.server.LbsMetrics;
import io.kivaloo.lbs.server.LbsServer;
import io.kivaloo.proto.daemon.AddressConverter;
import io.kivaloo.proto.daemon.CNumberConverter;
import io.kivaloo.proto.daemon.Daemon;
import io.kivaloo.proto.daemon.DaemonCommandLine;
import io.kivaloo.proto.daemon.DaemonOptions;
import io.kivaloo.proto.daemon.RequiredOptions;
import io.kivaloo.proto.daemon.SingleConnectionOption;
import io.kivaloo.proto.daemon.VersionProvider;
import io.kivaloo.proto.metrics.DaemonMetrics;
import io.kivaloo.proto.net.KivalooAddress;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.nio.file.Path;
import java.util.concurrent.Callable;

/**
 * {@code kivaloo-lbs}: the log-structured block store daemon. Options as the
 * original's (lbs.md §7), each with a long form; DESIGN.md explains them.
 */
@Command(name = "kivaloo-lbs", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
        sortOptions = false, description = "Log-structured block store: fixed-size blocks, appended, read, freed from the front.")
public final class LbsMain implements Callable<Integer> {

    @Option(names = {"-s", "--socket"}, paramLabel = "<address>", converter = AddressConverter.class,
            description = "Listen here: /unix/socket/path, host:port or [ip]:port.")
    KivalooAddress address;

    @Option(names = {"-d", "--storage-dir"}, paramLabel = "<dir>",
            description = "Directory holding the block files; must exist.")
    Path directory;

    @Option(names = {"-b", "--block-size"}, paramLabel = "<bytes>", converter = CNumberConverter.class,
            description = "Block size in bytes, 512..131072; fixed for the life of the directory.")
    Long blockSize;

    @Option(names = {"-n", "--readers"}, defaultValue = "16", paramLabel = "<n>", converter = CNumberConverter.class,
            description = "Reader threads serving GETs in parallel, 1..1000 (default: ${DEFAULT-VALUE}).")
    long readers;

    @Option(names = {"-l", "--read-latency"}, defaultValue = "0", paramLabel = "<ns>", converter = CNumberConverter.class,
            description = "Pause this many nanoseconds after every block read (a test aid; default: ${DEFAULT-VALUE}).")
    long readLatencyNanos;

    @Option(names = {"-L", "--no-sync"},
            description = "Data-loss mode: never fsync files or the directory. Acknowledged blocks survive a crash of lbs, not of the machine.")
    boolean noSync;

    @Mixin
    DaemonOptions daemonOptions;

    @Mixin
    SingleConnectionOption singleConnection;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        RequiredOptions.of(spec).need(address, "-s <address>").need(directory, "-d <dir>").need(blockSize, "-b <bytes>").check();
        // Out-of-range values become 0 here, which start-up rejects with the original's message.
        LbsConfig config = new LbsConfig(address, directory, clamp(blockSize), clamp(readers), readLatencyNanos,
                !noSync, singleConnection.single());
        DaemonMetrics metrics = new DaemonMetrics("lbs");
        LbsMetrics lbsMetrics = new LbsMetrics(metrics);
        return Daemon.run("lbs", daemonOptions, address.text(), metrics, () -> LbsServer.start(config, lbsMetrics));
    }

    private static int clamp(long value) {
        return value < 0 || value > Integer.MAX_VALUE ? 0 : (int) value;
    }

    public static void main(String[] args) {
        System.exit(DaemonCommandLine.execute("lbs", new LbsMain(), args));
    }
}
