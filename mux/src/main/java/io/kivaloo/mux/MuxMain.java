package io.kivaloo.mux;

import io.kivaloo.proto.daemon.AddressConverter;
import io.kivaloo.proto.daemon.CNumberConverter;
import io.kivaloo.proto.daemon.Daemon;
import io.kivaloo.proto.daemon.DaemonCommandLine;
import io.kivaloo.proto.daemon.DaemonOptions;
import io.kivaloo.proto.daemon.RequiredOptions;
import io.kivaloo.proto.daemon.VersionProvider;
import io.kivaloo.proto.metrics.DaemonMetrics;
import io.kivaloo.proto.net.KivalooAddress;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;

/**
 * {@code kivaloo-mux}: many client connections into one connection to a
 * kvlds. Options as the original's (mux.md §1.4), each with a long form;
 * DESIGN.md explains them. There is no {@code -1}.
 */
@Command(name = "kivaloo-mux", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
        sortOptions = false, description = "Request multiplexer: many clients share one connection to a kvlds.")
public final class MuxMain implements Callable<Integer> {

    @Option(names = {"-t", "--target"}, paramLabel = "<address>", converter = AddressConverter.class,
            description = "The target (a kvlds): /unix/socket/path, host:port or [ip]:port.")
    KivalooAddress target;

    @Option(names = {"-s", "--socket"}, paramLabel = "<address>", converter = AddressConverter.class,
            description = "Listen here; repeatable, Unix and TCP mixed; every address a name resolves to is used.")
    List<KivalooAddress> sources = new ArrayList<>();

    @Option(names = {"-n", "--max-connections"}, paramLabel = "<n>", defaultValue = "0", converter = CNumberConverter.class,
            description = "Clients served at once, 0..65535; 0 = unlimited (default: ${DEFAULT-VALUE}). Others wait to be accepted.")
    long maxConnections;

    @Option(names = "--forward-any",
            description = "Forward every well-framed request unchecked (for targets that do not speak KVLDS).")
    boolean forwardAny;

    @Option(names = "--max-request-length", paramLabel = "<bytes>", converter = CNumberConverter.class,
            defaultValue = "" + MuxConfig.DEFAULT_MAX_REQUEST_LENGTH,
            description = "With --forward-any: longest request record accepted (default: ${DEFAULT-VALUE}).")
    long maxRequestLength;

    @Option(names = "--max-in-flight", paramLabel = "<n>", converter = CNumberConverter.class,
            defaultValue = "" + MuxConfig.DEFAULT_MAX_IN_FLIGHT,
            description = "Requests one client may have at the target at once; beyond, it is not read (default: ${DEFAULT-VALUE}).")
    long maxInFlight;

    @Option(names = "--backlog", paramLabel = "<n>", converter = CNumberConverter.class,
            defaultValue = "" + MuxConfig.DEFAULT_BACKLOG,
            description = "Listen backlog of each listening socket (default: ${DEFAULT-VALUE}).")
    long backlog;

    @Option(names = "--max-client-bytes", paramLabel = "<bytes>", converter = CNumberConverter.class,
            defaultValue = "" + MuxConfig.DEFAULT_MAX_CLIENT_BYTES,
            description = "Bytes of answers one client may be owed; beyond, it is not read (default: ${DEFAULT-VALUE}).")
    long maxClientBytes;

    @Option(names = "--max-total-bytes", paramLabel = "<bytes>", converter = CNumberConverter.class,
            defaultValue = "" + MuxConfig.DEFAULT_MAX_TOTAL_BYTES,
            description = "Bytes of answers all clients together may be owed; beyond, requests wait and the client"
                    + " not reading the most is closed (default: ${DEFAULT-VALUE}).")
    long maxTotalBytes;

    @Mixin
    DaemonOptions daemonOptions;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        MuxConfig config = config();
        DaemonMetrics metrics = new DaemonMetrics("mux");
        return Daemon.run("mux", daemonOptions, sources.get(0).text(), metrics, () -> MuxServer.start(config, metrics));
    }

    /** The configuration the options describe; a bad value is a usage error. */
    MuxConfig config() {
        RequiredOptions.of(spec).need(target, "-t <address>").needAtLeastOne(sources, "-s <address>").check();
        if (maxConnections < 0 || maxConnections > 65535) {
            throw new ParameterException(spec.commandLine(), "-n: " + maxConnections + " (expected: 0..65535)");
        }
        requireInt("--max-request-length", maxRequestLength, 0);
        requireInt("--max-in-flight", maxInFlight, 1);
        requireInt("--backlog", backlog, 1);
        if (maxClientBytes < 1) {
            throw new ParameterException(spec.commandLine(), "--max-client-bytes: " + maxClientBytes + " (expected: >= 1)");
        }
        if (maxTotalBytes < maxClientBytes) {
            throw new ParameterException(spec.commandLine(), "--max-total-bytes: " + maxTotalBytes
                    + " (expected: >= --max-client-bytes, " + maxClientBytes + ")");
        }
        return MuxConfig.of(target, sources, (int) maxConnections)
                .withForwardAny(forwardAny)
                .withMaxRequestLength((int) maxRequestLength)
                .withMaxInFlight((int) maxInFlight)
                .withBacklog((int) backlog)
                .withAnswerBytes(maxClientBytes, maxTotalBytes);
    }

    private void requireInt(String option, long value, int min) {
        if (value < min || value > Integer.MAX_VALUE) {
            throw new ParameterException(spec.commandLine(), option + ": " + value + " (expected: " + min + ".." + Integer.MAX_VALUE + ")");
        }
    }

    public static void main(String[] args) {
        System.exit(DaemonCommandLine.execute("mux", new MuxMain(), args));
    }
}
