package io.kivaloo.kvlds;

import io.kivaloo.kvlds.cleaner.CleaningPolicy;
import io.kivaloo.kvlds.server.KvldsConfig;
import io.kivaloo.kvlds.server.KvldsMetrics;
import io.kivaloo.kvlds.server.KvldsServer;
import io.kivaloo.proto.daemon.AddressConverter;
import io.kivaloo.proto.daemon.Daemon;
import io.kivaloo.proto.daemon.DaemonCommandLine;
import io.kivaloo.proto.daemon.DaemonOptions;
import io.kivaloo.proto.daemon.RequiredOptions;
import io.kivaloo.proto.daemon.SingleConnectionOption;
import io.kivaloo.proto.daemon.StartupException;
import io.kivaloo.proto.daemon.VersionProvider;
import io.kivaloo.proto.metrics.DaemonMetrics;
import io.kivaloo.proto.net.KivalooAddress;
import java.util.concurrent.Callable;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code kivaloo-kvlds}: the key-value B+tree daemon over lbs. Options as the
 * original's (kvlds.md §12), each with a long form; DESIGN.md explains them.
 */
@Command(name = "kivaloo-kvlds", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
        sortOptions = false, description = "Key-value store: a log-structured copy-on-write B+tree kept in an lbs.")
public final class KvldsMain implements Callable<Integer> {

    /** System property with the meaning of {@code --warmup} ({@code true}) or {@code --no-warmup} ({@code false}). */
    static final String WARMUP_PROPERTY = "kivaloo.kvlds.warmup";

    @Option(names = {"-s", "--socket"}, paramLabel = "<address>", converter = AddressConverter.class,
            description = "Listen here: /unix/socket/path, host:port or [ip]:port.")
    KivalooAddress address;

    @Option(names = {"-l", "--lbs"}, paramLabel = "<address>", converter = AddressConverter.class,
            description = "The lbs holding the tree.")
    KivalooAddress lbsAddress;

    @ArgGroup(exclusive = true, multiplicity = "0..1")
    CacheSize cacheSize;

    static final class CacheSize {
        @Option(names = {"-C", "--cache-pages"}, paramLabel = "<npages>", converter = HumanSizeConverter.class,
                description = "Page cache size in pages, 2^10..2^30.")
        Long pages;

        @Option(names = {"-c", "--cache-bytes"}, paramLabel = "<bytes>", converter = HumanSizeConverter.class,
                description = "Page cache size in bytes (default: 128 MiB); pages = bytes / block size, 2^10..2^30.")
        Long bytes;
    }

    @Option(names = {"-k", "--max-key"}, paramLabel = "<bytes>", converter = HumanSizeConverter.class,
            description = "Longest key, at most 255 (default: by block size: 64, 128 or 255).")
    Long maxKey;

    @Option(names = {"-v", "--max-value"}, paramLabel = "<bytes>", converter = HumanSizeConverter.class,
            description = "Longest value, at most 255 (default: by block size: 96, 192 or 255).")
    Long maxValue;

    @Option(names = {"-S", "--storage-cost"}, paramLabel = "<ratio>", defaultValue = "1.0",
            description = "Cost of storing 1 GB for a month over the cost of 10^6 I/Os, for log cleaning; 0 turns cleaning off (default: ${DEFAULT-VALUE}).")
    double storageCost;

    @Option(names = "--max-span", paramLabel = "<ratio>", defaultValue = "" + CleaningPolicy.DEFAULT_MAX_SPAN_RATIO,
            description = "Keep the log's span at most this many times the live pages, cleaning beyond what -S asks for; "
                    + "0 or at least " + CleaningPolicy.MIN_MAX_SPAN_RATIO + "; 0 leaves it to -S alone (default: ${DEFAULT-VALUE}).")
    double maxSpan;

    @Option(names = {"-w", "--commit-delay"}, paramLabel = "<seconds>", defaultValue = "0",
            description = "How long the first queued modification waits for others to share its commit, 0..1 (default: ${DEFAULT-VALUE}).")
    double commitDelay;

    @Option(names = {"-g", "--min-commit"}, paramLabel = "<n>", converter = HumanSizeConverter.class,
            description = "Commit at once when this many modifications are queued, 1..1024 (default: only the delay decides).")
    Long minForcedCommit;

    /**
     * Not in the original, and off by default: measured, it made short runs
     * slower, not faster (DESIGN.md "Warm-up"). The system property lets a
     * benchmark chain choose through the JVM options alone.
     */
    @Option(names = "--warmup", negatable = true, defaultValue = "${sys:" + WARMUP_PROPERTY + ":-false}", fallbackValue = "true",
            description = "Run the hot paths on a private in-memory tree before reporting ready (up to 1.5 s; off by default, "
                    + "it measured slower; also -D" + WARMUP_PROPERTY + "=true).")
    boolean warmup;

    @Mixin
    DaemonOptions daemonOptions;

    @Mixin
    SingleConnectionOption singleConnection;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        RequiredOptions.of(spec).need(address, "-s <address>").need(lbsAddress, "-l <address>").check();
        DaemonMetrics metrics = new DaemonMetrics("kvlds");
        KvldsMetrics kvldsMetrics = new KvldsMetrics(metrics);
        return Daemon.run("kvlds", daemonOptions, address.text(), metrics, () -> KvldsServer.start(config(), kvldsMetrics));
    }

    /** The option checks of kvlds.md §12 that do not need the block size; each failure is exit 1 with the original's message. */
    KvldsConfig config() throws StartupException {
        if (maxKey != null && maxKey > 255) {
            throw new StartupException("Keys longer than 255 bytes are not supported");
        }
        if (maxValue != null && maxValue > 255) {
            throw new StartupException("Values longer than 255 bytes are not supported");
        }
        if (!(storageCost >= 0)) {
            throw new StartupException("Storage cost must be >= 0");
        }
        if (!(maxSpan == 0 || maxSpan >= CleaningPolicy.MIN_MAX_SPAN_RATIO) || Double.isInfinite(maxSpan)) {
            throw new StartupException("Maximum span ratio must be 0 or >= " + CleaningPolicy.MIN_MAX_SPAN_RATIO);
        }
        if (!(commitDelay >= 0 && commitDelay <= 1)) {
            throw new StartupException("Commit delay time in [0.0, 1.0]");
        }
        if (minForcedCommit != null && (minForcedCommit < 1 || minForcedCommit > 1024)) {
            throw new StartupException("Minimum forced commit size must be in [1, 1024]");
        }
        Long pages = cacheSize == null ? null : cacheSize.pages;
        Long bytes = cacheSize == null ? null : cacheSize.bytes;
        return new KvldsConfig(address, lbsAddress, pages, bytes,
                maxKey == null ? null : maxKey.intValue(), maxValue == null ? null : maxValue.intValue(),
                new CleaningPolicy(storageCost, maxSpan), Math.round(commitDelay * 1e9), minForcedCommit == null ? 0 : minForcedCommit.intValue(),
                singleConnection.single(), warmup);
    }

    public static void main(String[] args) {
        System.exit(DaemonCommandLine.execute("kvlds", new KvldsMain(), args));
    }
}
