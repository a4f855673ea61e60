package io.kivaloo.bench.perf;

import io.kivaloo.proto.daemon.AddressConverter;
import io.kivaloo.proto.daemon.Daemon;
import io.kivaloo.proto.daemon.DaemonCommandLine;
import io.kivaloo.proto.daemon.DaemonOptions;
import io.kivaloo.proto.daemon.SingleConnectionOption;
import io.kivaloo.proto.daemon.VersionProvider;
import io.kivaloo.proto.net.KivalooAddress;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.time.Clock;
import java.util.concurrent.Callable;

/**
 * {@code kivaloo-perf -t <target> -s <source> -l <logfile> [-w secs] [-p pidfile] [-1]}:
 * a proxy in front of any kivaloo daemon that logs request latency
 * statistics per request type (mux.md §2). See bench/DESIGN.md.
 */
@Command(name = "kivaloo-perf", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
        description = "Forward one client at a time to the target and log request times per type every period.")
public final class PerfMain implements Callable<Integer> {

    @Option(names = "-t", required = true, paramLabel = "<target socket>", converter = AddressConverter.class,
            description = "Upstream address: /path, host:port or [ip]:port.")
    KivalooAddress target;

    @Option(names = "-s", required = true, paramLabel = "<source socket>", converter = AddressConverter.class,
            description = "Listening address (the first address a name resolves to).")
    KivalooAddress source;

    @Option(names = "-l", required = true, paramLabel = "<logfile>", description = "Statistics log, appended to.")
    Path logFile;

    @Option(names = "-w", paramLabel = "<secs>", defaultValue = "60",
            description = "Reporting period in seconds, 1..86400 (default: ${DEFAULT-VALUE}).")
    long periodSeconds;

    @Mixin
    DaemonOptions daemonOptions;

    @Mixin
    SingleConnectionOption singleOption;

    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    public static void main(String[] args) {
        System.exit(DaemonCommandLine.execute("kivaloo-perf", new PerfMain(), args));
    }

    @Override
    public Integer call() {
        if (periodSeconds < 1 || periodSeconds > 86400) {
            throw new picocli.CommandLine.ParameterException(spec.commandLine(),
                    "Invalid option: -w " + periodSeconds + " (expected: 1..86400)");
        }
        return Daemon.run("kivaloo-perf", daemonOptions, source.text(),
                () -> PerfService.start(target, source, logFile, periodSeconds, singleOption.single(), Clock.systemUTC()));
    }
}
