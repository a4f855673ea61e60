package io.kivaloo.lbss3;

import io.kivaloo.lbss3.s3.ObjectStore;
import io.kivaloo.lbss3.s3.S3ObjectStore;
import io.kivaloo.lbss3.s3.S3RequestMetrics;
import io.kivaloo.lbss3.server.LbsS3Config;
import io.kivaloo.lbss3.server.LbsS3Server;
import io.kivaloo.lbss3.store.StoreLayout;
import io.kivaloo.lbss3.store.StoreOpener;
import io.kivaloo.lbss3.store.StoreParameters;
import io.kivaloo.proto.daemon.AddressConverter;
import io.kivaloo.proto.daemon.CNumberConverter;
import io.kivaloo.proto.daemon.Daemon;
import io.kivaloo.proto.daemon.DaemonCommandLine;
import io.kivaloo.proto.daemon.DaemonOptions;
import io.kivaloo.proto.daemon.RequiredOptions;
import io.kivaloo.proto.daemon.SingleConnectionOption;
import io.kivaloo.proto.daemon.VersionProvider;
import io.kivaloo.proto.lbs.store.BlockSizeRange;
import io.kivaloo.proto.metrics.DaemonMetrics;
import io.kivaloo.proto.net.KivalooAddress;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.Callable;

/**
 * {@code kivaloo-lbs-s3}: the LBS block store on an S3 bucket. Options as
 * lbs's where they mean the same; DESIGN.md explains them.
 */
@Command(name = "kivaloo-lbs-s3", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
        sortOptions = false, subcommands = LbsS3Main.Init.class,
        description = "Log-structured block store on S3-compatible object storage.")
public final class LbsS3Main implements Callable<Integer> {

    static final String NAME = "lbs-s3";

    @Option(names = {"-s", "--socket"}, paramLabel = "<address>", converter = AddressConverter.class,
            description = "Listen here: /unix/socket/path, host:port or [ip]:port.")
    KivalooAddress address;

    @Option(names = {"-b", "--block-size"}, paramLabel = "<bytes>", converter = CNumberConverter.class,
            description = "Block size in bytes, 512..131072; fixed for the life of the store.")
    Long blockSize;

    @Mixin
    S3Options s3;

    @Option(names = "--lease-seconds", paramLabel = "<s>", defaultValue = "10", converter = CNumberConverter.class,
            description = "How long a start watches for a live instance's heartbeat before taking over"
                    + " (default: ${DEFAULT-VALUE}); the live instance renews four times per period.")
    long leaseSeconds;

    @Mixin
    DaemonOptions daemonOptions;

    @Mixin
    SingleConnectionOption singleConnection;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        RequiredOptions.of(spec).need(address, "-s <address>").need(blockSize, "-b <bytes>").need(s3.bucket, "-B <bucket>").check();
        LbsS3Config config = new LbsS3Config(address, clamp(blockSize), s3.settings(), s3.prefix,
                Duration.ofSeconds(leaseSeconds), singleConnection.single());
        DaemonMetrics metrics = new DaemonMetrics(NAME);
        S3RequestMetrics s3Metrics = new S3RequestMetrics(metrics);
        return Daemon.run(NAME, daemonOptions, address.text(), metrics, () -> LbsS3Server.start(config, s3Metrics));
    }

    /** Out-of-range values become 0, which the range check rejects with its message. */
    static int clamp(long value) {
        return value < 0 || value > Integer.MAX_VALUE ? 0 : (int) value;
    }

    /**
     * {@code kivaloo-lbs-s3 init -b N -B bucket ...}: records the store
     * parameters (a random store ID, the block size) and exits; a daemon's
     * first start does the same. Exit 0 if the store is (now) initialised
     * with this block size, 1 otherwise.
     */
    @Command(name = "init", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
            description = "Record the store parameters (store ID, block size) in the bucket, then exit.")
    static final class Init implements Callable<Integer> {

        @Option(names = {"-b", "--block-size"}, paramLabel = "<bytes>", converter = CNumberConverter.class,
                description = "Block size in bytes, 512..131072.")
        Long blockSize;

        @Mixin
        S3Options s3;

        @Spec
        CommandSpec spec;

        @Override
        public Integer call() {
            RequiredOptions.of(spec).need(blockSize, "-b <bytes>").need(s3.bucket, "-B <bucket>").check();
            int size = clamp(blockSize);
            if (!BlockSizeRange.contains(size)) {
                spec.commandLine().getErr().println(NAME + ": " + BlockSizeRange.outOfRangeMessage());
                return 1;
            }
            StoreLayout layout = new StoreLayout(s3.prefix);
            try (ObjectStore objects = S3ObjectStore.open(s3.settings())) {
                StoreParameters parameters = StoreOpener.initialise(objects, layout, size);
                spec.commandLine().getOut().println(NAME + ": store " + objects.describe() + " prefix='" + layout.prefix()
                        + "' storeId=" + parameters.storeId() + " blockSize=" + parameters.blockSize());
                return 0;
            } catch (IOException e) {
                spec.commandLine().getErr().println(NAME + ": " + e.getMessage());
                return 1;
            }
        }
    }

    public static void main(String[] args) {
        // A bucket may be called "init": picocli must not take it for the subcommand.
        System.exit(DaemonCommandLine.commandLine(NAME, new LbsS3Main())
                .setAllowSubcommandsAsOptionParameters(true).execute(args));
    }
}
