package io.kivaloo.bench;

import io.kivaloo.proto.daemon.CNumberConverter;
import io.kivaloo.bench.data.PairGroups;
import io.kivaloo.bench.data.PairInput;
import io.kivaloo.bench.run.BenchConnection;
import io.kivaloo.bench.run.Pipeline;
import io.kivaloo.bench.run.Window;
import io.kivaloo.bench.suite.SuiteCommand;
import io.kivaloo.bench.workload.BulkExtract;
import io.kivaloo.bench.workload.BulkInsert;
import io.kivaloo.bench.workload.BulkUpdate;
import io.kivaloo.bench.workload.DiskUsage;
import io.kivaloo.bench.workload.HotspotRead;
import io.kivaloo.bench.workload.RandomMixed;
import io.kivaloo.bench.workload.RandomRead;
import io.kivaloo.bench.workload.Tokyo;
import io.kivaloo.proto.daemon.AddressConverter;
import io.kivaloo.proto.daemon.DaemonCommandLine;
import io.kivaloo.proto.daemon.VersionProvider;
import io.kivaloo.proto.net.KivalooAddress;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

import java.io.BufferedOutputStream;
import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.Path;

/**
 * {@code kivaloo-bench}: the original benchmark programs (bench/*&#47; in C
 * kivaloo) as subcommands, with the same data, request patterns, windows and
 * printed figures (tests-and-bench.md §8), plus {@code suite}. Each method is
 * one C program's main(): options, connection, workload, output.
 */
@Command(name = "kivaloo-bench", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
        subcommands = SuiteCommand.class,
        description = "kivaloo benchmark workloads (see bench/DESIGN.md). Figures go to standard output exactly as the C programs print them.")
public final class BenchMain {

    private static final String NAME = "kivaloo-bench";

    public static void main(String[] args) {
        System.exit(DaemonCommandLine.execute(NAME, new BenchMain(), args));
    }

    @Command(name = "mkpairs", description = "Write the N benchmark pairs (80 bytes each, sorted) to standard output, as C mkpairs.")
    int mkpairs(@Parameters(paramLabel = "<N>", converter = CNumberConverter.class) long count) throws IOException {
        OutputStream out = new BufferedOutputStream(new FileOutputStream(FileDescriptor.out), 1 << 20);
        PairGroups groups = new PairGroups(count);
        for (byte[] group = groups.nextGroup(); group != null; group = groups.nextGroup()) {
            out.write(group);
        }
        out.flush();
        return 0;
    }

    @Command(name = "bulk-insert", description = "SET every pair of the input in order; print '<N0> <rate>' lines, as C bulk_insert.")
    int bulkInsert(@Parameters(paramLabel = "<socket>", converter = AddressConverter.class) KivalooAddress target,
                   @Mixin PairSourceOptions pairs,
                   @picocli.CommandLine.Option(names = {"-q", "--in-flight"}, paramLabel = "<n>",
                           defaultValue = "" + Pipeline.DEFAULT_IN_FLIGHT, description = "Most requests in flight (default: ${DEFAULT-VALUE}).")
                   int inFlight) {
        PrintStream out = System.out;
        return runChecked("bulk-insert", () -> {
            try (PairInput input = pairs.open(); BenchConnection connection = BenchConnection.open(target)) {
                BulkInsert.run(connection, input, inFlight, line -> {
                    out.println(line);
                    out.flush();
                });
            }
        });
    }

    @Command(name = "bulk-update", description = "SET the input's pairs over and over (input must be a file); print the median SETs/s, as C bulk_update.")
    int bulkUpdate(@Parameters(paramLabel = "<socket>", converter = AddressConverter.class) KivalooAddress target,
                   @Mixin PairSourceOptions pairs, @Mixin WindowOptions options) {
        return runChecked("bulk-update", () -> {
            try (PairInput input = pairs.open(); BenchConnection connection = BenchConnection.open(target)) {
                print(BulkUpdate.run(connection, input, options.window(Window.C_SHORT_SECONDS), options.inFlight()));
            }
        });
    }

    @Command(name = "bulk-extract", description = "Read all pairs again and again with RANGE; print the median pairs/s, as C bulk_extract.")
    int bulkExtract(@Parameters(paramLabel = "<socket>", converter = AddressConverter.class) KivalooAddress target,
                    @Mixin WindowOptions options) {
        return runChecked("bulk-extract", () -> {
            try (BenchConnection connection = BenchConnection.open(target)) {
                print(BulkExtract.run(connection, options.window(Window.C_SHORT_SECONDS)));
            }
        });
    }

    @Command(name = "random-read", description = "GET uniformly random keys of the N pairs; print the median GETs/s, as C random_read.")
    int randomRead(@Parameters(paramLabel = "<socket>", converter = AddressConverter.class) KivalooAddress target,
                   @Parameters(paramLabel = "<N>", converter = CNumberConverter.class) long count,
                   @Mixin WindowOptions options) {
        return runChecked("random-read", () -> {
            try (BenchConnection connection = BenchConnection.open(target)) {
                print(RandomRead.run(connection, count, options.window(Window.C_LONG_SECONDS), options.inFlight()));
            }
        });
    }

    @Command(name = "random-mixed", description = "GET, GET, SET, SET, ... on random keys of the N pairs; print the median ops/s, as C random_mixed.")
    int randomMixed(@Parameters(paramLabel = "<socket>", converter = AddressConverter.class) KivalooAddress target,
                    @Parameters(paramLabel = "<N>", converter = CNumberConverter.class) long count,
                    @Mixin WindowOptions options) {
        return runChecked("random-mixed", () -> {
            try (BenchConnection connection = BenchConnection.open(target)) {
                print(RandomMixed.run(connection, count, options.window(Window.C_LONG_SECONDS), options.inFlight()));
            }
        });
    }

    @Command(name = "hotspot-read", description = "GET all 65536 keys of one random group at a time (N >= 65536); print the median GETs/s, as C hotspot_read.")
    int hotspotRead(@Parameters(paramLabel = "<socket>", converter = AddressConverter.class) KivalooAddress target,
                    @Parameters(paramLabel = "<N>", converter = CNumberConverter.class) long count,
                    @Mixin WindowOptions options) {
        return runChecked("hotspot-read", () -> {
            try (BenchConnection connection = BenchConnection.open(target)) {
                print(HotspotRead.run(connection, count, options.window(Window.C_SHORT_SECONDS), options.inFlight()));
            }
        });
    }

    @Command(name = "tokyo", description = "SET 1,000,000 8-digit keys in order; print the elapsed seconds, as C tokyo.")
    int tokyo(@Parameters(paramLabel = "<socket>", converter = AddressConverter.class) KivalooAddress target,
              @picocli.CommandLine.Option(names = {"-q", "--in-flight"}, paramLabel = "<n>",
                      defaultValue = "" + Pipeline.DEFAULT_IN_FLIGHT, description = "Most requests in flight (default: ${DEFAULT-VALUE}).")
              int inFlight) {
        return runChecked("tokyo", () -> {
            try (BenchConnection connection = BenchConnection.open(target)) {
                System.out.println(Tokyo.run(connection, inFlight));
                System.out.flush();
            }
        });
    }

    @Command(name = "disk-usage", description = "Random SETs of the N pairs for a while, printing the lbs directory's size "
            + "against the live data every interval (not a C program; watches the cleaner).")
    int diskUsage(@Parameters(paramLabel = "<socket>", converter = AddressConverter.class) KivalooAddress target,
                  @Parameters(paramLabel = "<N>", converter = CNumberConverter.class) long count,
                  @picocli.CommandLine.Option(names = "--lbs-dir", required = true, paramLabel = "<dir>",
                          description = "The storage directory of the lbs behind the target.") Path lbsDirectory,
                  @picocli.CommandLine.Option(names = {"-d", "--duration"}, paramLabel = "<s>", defaultValue = "300",
                          description = "Seconds of updates (default: ${DEFAULT-VALUE}).") long seconds,
                  @picocli.CommandLine.Option(names = "--interval", paramLabel = "<s>", defaultValue = "10",
                          description = "Seconds between lines (default: ${DEFAULT-VALUE}).") long interval,
                  @picocli.CommandLine.Option(names = "--sequential",
                          description = "Overwrite the keys in order, again and again, instead of at random.") boolean sequential,
                  @picocli.CommandLine.Option(names = "--mixed",
                          description = "Half GETs, half SETs of random keys, in random_mixed's pattern.") boolean mixed,
                  @picocli.CommandLine.Option(names = {"-q", "--in-flight"}, paramLabel = "<n>",
                          defaultValue = "" + Pipeline.DEFAULT_IN_FLIGHT, description = "Most requests in flight (default: ${DEFAULT-VALUE}).")
                  int inFlight) {
        return runChecked("disk-usage", () -> {
            if (mixed && sequential) {
                throw new IllegalArgumentException("--mixed and --sequential cannot be combined");
            }
            if (seconds < 1 || interval < 1) {
                throw new IllegalArgumentException("duration and interval must be >= 1 s");
            }
            try (BenchConnection connection = BenchConnection.open(target)) {
                DiskUsage.run(connection, count, lbsDirectory, seconds, interval, sequential, mixed, inFlight, System.out);
            }
        });
    }

    private static void print(long figure) {
        System.out.println(Long.toUnsignedString(figure));
        System.out.flush();
    }

    /** A workload body; an IOException is the one-line failure the C programs print before exit(1). */
    @FunctionalInterface
    interface Body {
        void run() throws IOException;
    }

    private static int runChecked(String name, Body body) {
        try {
            body.run();
            return 0;
        } catch (IOException e) {
            System.err.println(NAME + " " + name + ": " + e.getMessage());
            return 1;
        } catch (IllegalArgumentException e) {
            System.err.println(NAME + " " + name + ": " + e.getMessage());
            return 2;
        }
    }
}
