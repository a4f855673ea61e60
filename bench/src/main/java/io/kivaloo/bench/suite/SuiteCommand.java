package io.kivaloo.bench.suite;

import io.kivaloo.bench.ProjectRoot;
import io.kivaloo.bench.data.PairGroups;
import io.kivaloo.bench.run.Pipeline;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

/**
 * {@code kivaloo-bench suite}: bench/bench-local.sh at one size. For each
 * workload: a fresh chain (lbs -b 2048, kvlds, optionally mux) in a temporary
 * directory, then (except for tokyo and bulk-insert itself) the N pairs
 * inserted, then the workload; its figure goes in a markdown table with the
 * core count and the date. {@code --chains java,c} runs the same against our
 * daemons and the C daemons, one after the other, for side-by-side ratios;
 * {@code --runs N} repeats the whole suite N times with the chains' order
 * reversed every other run (single runs swing by 25 % here, and whatever
 * slows the machine for a while should hit both chains alike), and reports
 * each run, the medians and the ratio of the medians.
 *
 * <p>Two more chains measure our daemons against themselves:
 * {@code java-metrics} serves /metrics on every daemon and has it scraped
 * once a second ({@link MetricsScraper}), and {@code java-alt} runs the
 * daemons under {@code --alt-java-home}, {@code --alt-java-opts} and
 * {@code --alt-kvlds-args} (another JDK, other JVM options, other kvlds
 * options).
 */
@Command(name = "suite", mixinStandardHelpOptions = true,
        description = "Run every workload against fresh chains and print a markdown table of the figures.")
public final class SuiteCommand implements Callable<Integer> {

    private static final List<String> CHAINS = List.of("java", "c", "kvlds", "java-metrics", "java-alt");
    /** A chain name ending in this puts that chain's mux in front of it, whatever {@code --mux} says. */
    private static final String MUX_SUFFIX = "+mux";

    @Spec
    CommandSpec spec;

    @Option(names = {"-n", "--pairs"}, paramLabel = "<N>", defaultValue = "1048576",
            description = "Data-store size in pairs (default: ${DEFAULT-VALUE} = 2^20; hotspot-read needs >= 65536).")
    long count;

    @Option(names = "--chains", split = ",", paramLabel = "<chain>", defaultValue = "java",
            description = "Daemon chains to measure, in order: java (our lbs, kvlds, mux), c (the C daemons), "
                    + "kvlds (the C lbs under our kvlds and mux), java-metrics (ours serving /metrics, scraped once a second), "
                    + "java-alt (ours under --alt-java-home / --alt-java-opts / --alt-kvlds-args); a name ending in +mux puts that chain's mux in "
                    + "front of it (java+mux,java,c+mux: our mux against direct and against the C mux in one run). "
                    + "Default: ${DEFAULT-VALUE}.")
    List<String> chains;

    @Option(names = "--alt-java-home", paramLabel = "<dir>", description = "JAVA_HOME for the java-alt chain's daemons.")
    Path altJavaHome;

    @Option(names = "--alt-java-opts", paramLabel = "<options>",
            description = "JVM options (KIVALOO_JAVA_OPTS) for the java-alt chain's daemons.")
    String altJavaOpts;

    @Option(names = "--alt-kvlds-args", paramLabel = "<options>",
            description = "More kvlds options for the java-alt chain, e.g. \"--max-span 0\" (split at spaces).")
    String altKvldsArgs;

    @Option(names = "--client", paramLabel = "<java|c>", defaultValue = "java",
            description = "Client: java (these workloads, in-process) or c (the C bench programs). Default: ${DEFAULT-VALUE}.")
    String client;

    @Option(names = "--mux", description = "Put a mux in front of kvlds and connect to it.")
    boolean mux;

    @Option(names = "--only", split = ",", paramLabel = "<workload>",
            description = "Run only these workloads (bulk-insert, bulk-update, bulk-extract, random-read, random-mixed, hotspot-read, tokyo).")
    List<String> only;

    @Option(names = "--runs", paramLabel = "<N>", defaultValue = "1",
            description = "Run the suite N times, interleaved: the chains alternate which goes first (default: ${DEFAULT-VALUE}).")
    int runs;

    @Option(names = "--bin", paramLabel = "<dir>", description = "Our launchers (default: the bin/ beside bench/).")
    Path bin;

    @Option(names = "--c-bin", paramLabel = "<dir>",
            description = "The C daemons and bench programs (default: ../shared/c-kivaloo/bin from the project root).")
    Path cBin;

    @Option(names = "--workdir", paramLabel = "<dir>", description = "Where to make the temporary directory (default: java.io.tmpdir).")
    Path workdir;

    @Option(names = {"-W", "--warmup"}, paramLabel = "<secs>", defaultValue = "50",
            description = "Warm-up seconds for our client (default: ${DEFAULT-VALUE}; the C client always uses 50).")
    long warmupSeconds;

    @Option(names = {"-S", "--seconds"}, paramLabel = "<secs>",
            description = "Measured seconds for our client (default: each program's 10 or 100).")
    Integer seconds;

    @Option(names = {"-q", "--in-flight"}, paramLabel = "<n>", defaultValue = "" + Pipeline.DEFAULT_IN_FLIGHT,
            description = "Most requests in flight for our client (default: ${DEFAULT-VALUE}).")
    int inFlight;

    @Override
    public Integer call() throws IOException {
        if (runs < 1) {
            throw new ParameterException(spec.commandLine(), "--runs must be at least 1, not " + runs);
        }
        for (String chain : chains) {
            if (!CHAINS.contains(base(chain))) {
                throw new ParameterException(spec.commandLine(), "unknown chain '" + chain + "' (expected one of " + CHAINS
                        + ", each optionally followed by " + MUX_SUFFIX + ")");
            }
        }
        if (chains.stream().map(SuiteCommand::base).anyMatch("java-alt"::equals) && altJavaHome == null && altJavaOpts == null
                && altKvldsArgs == null) {
            throw new ParameterException(spec.commandLine(),
                    "the java-alt chain needs --alt-java-home, --alt-java-opts or --alt-kvlds-args");
        }
        if (altJavaHome != null && !Files.isExecutable(altJavaHome.resolve("bin").resolve("java"))) {
            throw new ParameterException(spec.commandLine(), "--alt-java-home " + altJavaHome + " has no bin/java");
        }
        PrintStream err = System.err;
        Path root = ProjectRoot.find();
        Path ourBin = bin != null ? bin : root.resolve("bin");
        Path theirBin = cBin != null ? cBin : root.resolveSibling("shared").resolve("c-kivaloo").resolve("bin");
        SuiteClient suiteClient = "c".equals(client) ? new CSuiteClient(theirBin) : new JavaSuiteClient(warmupSeconds, seconds, inFlight);
        List<Workload> workloads = new ArrayList<>();
        if (only == null) {
            workloads.addAll(List.of(Workload.values()));
        } else {
            for (String name : only) {
                workloads.add(Workload.byCommand(name));
            }
        }
        List<String> chainNames = new ArrayList<>();
        for (String chain : chains) {
            chainNames.add(chainName(chain));
        }
        SuiteReport report = new SuiteReport(chainNames);
        Path base = Files.createTempDirectory(workdir != null ? workdir : Path.of(System.getProperty("java.io.tmpdir")), "kivaloo-suite-");
        try {
            Path pairs = base.resolve("pairs");
            writePairs(pairs);
            for (int run = 1; run <= runs; run++) {
                for (Workload workload : workloads) {
                    for (String chain : runOrder(run)) {
                        String what = "suite: run " + run + "/" + runs + " " + chainName(chain) + " " + workload.command;
                        err.println(what + " N=" + count);
                        Path dir = base.resolve(chain + "-" + workload.command + "-" + run);
                        List<String> lines = runOne(binaries(base(chain), ourBin, theirBin), launch(base(chain)), muxed(chain), dir,
                                workload, pairs, suiteClient);
                        record(report, chainName(chain), workload, lines);
                        err.println(what + " -> " + String.join(" / ", lines));
                    }
                }
            }
        } finally {
            Files.deleteIfExists(base.resolve("pairs"));
            Files.deleteIfExists(base);
        }
        String windows = seconds == null && warmupSeconds == 50 || "c".equals(client)
                ? "50 s warm-up, then 10 s (100 s for random-read, random-mixed); median of per-second counts"
                : warmupSeconds + " s warm-up, then " + (seconds == null ? "10/100" : seconds) + " s (shortened: not comparable with the C figures)";
        System.out.print(report.markdown("N = " + count + " pairs" + (mux ? ", through mux" : ""), List.of(
                "date: " + LocalDate.now(ZoneOffset.UTC) + ", cores: " + Runtime.getRuntime().availableProcessors()
                        + ", Java " + System.getProperty("java.version"),
                "client: " + suiteClient.name() + ", one connection, at most " + inFlight + " requests in flight",
                "windows: " + windows,
                "each workload on a fresh chain (lbs -b 2048, kvlds defaults), after inserting the N pairs (not tokyo)",
                "chains: " + String.join(", ", chainNames) + "; the same client drives each, one after the other"
                        + (runs > 1 ? "; " + runs + " runs, each workload's chains in turn, the order reversed every other run" : ""))));
        System.out.flush();
        return 0;
    }

    /** The chains in the given order on odd runs, reversed on even ones. */
    private List<String> runOrder(int run) {
        List<String> order = new ArrayList<>(chains);
        if (run % 2 == 0) {
            Collections.reverse(order);
        }
        return order;
    }

    private static SuiteChain.Binaries binaries(String chain, Path ours, Path theirs) {
        switch (chain) {
            case "java":
            case "java-metrics":
            case "java-alt":
                return new SuiteChain.Binaries(ours, ours, ours);
            case "c":
                return new SuiteChain.Binaries(theirs, theirs, theirs);
            case "kvlds":
                return new SuiteChain.Binaries(theirs, ours, ours);
            default:
                throw new IllegalArgumentException("unknown chain '" + chain + "' (expected: java, c or kvlds)");
        }
    }

    private SuiteChain.Launch launch(String chain) {
        switch (chain) {
            case "java-metrics":
                return new SuiteChain.Launch(Map.of(), true, List.of());
            case "java-alt":
                Map<String, String> environment = new HashMap<>();
                if (altJavaHome != null) {
                    environment.put("JAVA_HOME", altJavaHome.toString());
                }
                if (altJavaOpts != null) {
                    environment.put("KIVALOO_JAVA_OPTS", altJavaOpts);
                }
                return new SuiteChain.Launch(environment, false, altKvldsArgList());
            default:
                return SuiteChain.Launch.PLAIN;
        }
    }

    /** The chain without its {@value #MUX_SUFFIX}, which picks the daemons and how they are launched. */
    private static String base(String chain) {
        return chain.endsWith(MUX_SUFFIX) ? chain.substring(0, chain.length() - MUX_SUFFIX.length()) : chain;
    }

    /** Whether clients reach this chain through its mux. */
    private boolean muxed(String chain) {
        return mux || chain.endsWith(MUX_SUFFIX);
    }

    private List<String> runOne(SuiteChain.Binaries chainBin, SuiteChain.Launch how, boolean throughMux, Path dir, Workload workload,
                                Path pairs, SuiteClient suiteClient) throws IOException {
        try (SuiteChain chain = SuiteChain.start(chainBin, how, dir, throughMux)) {
            if (workload.needsPairs()) {
                suiteClient.run(Workload.BULK_INSERT, chain.clientSocket(), count, pairs);
            }
            if (chain.metricsPorts().isEmpty()) {
                return suiteClient.run(workload, chain.clientSocket(), count, pairs);
            }
            MetricsScraper scraper = MetricsScraper.start(chain.metricsPorts());
            try {
                return suiteClient.run(workload, chain.clientSocket(), count, pairs);
            } finally {
                System.err.println("suite: " + scraper.stop());
            }
        }
    }

    private static void record(SuiteReport report, String chain, Workload workload, List<String> lines) {
        if (workload == Workload.BULK_INSERT) {
            for (String line : lines) {
                String[] parts = line.split(" ");
                if (parts.length == 2) {
                    report.add(new SuiteReport.Row("bulk-insert from " + parts[0], workload.unit, false), chain, parts[1]);
                }
            }
            return;
        }
        report.add(new SuiteReport.Row(workload.command, workload.unit, workload.lowerIsBetter), chain,
                lines.isEmpty() ? "–" : lines.get(lines.size() - 1));
    }

    private String chainName(String chain) {
        return baseName(base(chain)) + (chain.endsWith(MUX_SUFFIX) ? " + " + ("c".equals(base(chain)) ? "C mux" : "our mux") : "");
    }

    private String baseName(String chain) {
        switch (chain) {
            case "java":
                return "Java chain";
            case "java-metrics":
                return "Java chain, metrics on";
            case "java-alt":
                return "Java chain on " + altDescription();
            case "c":
                return "C chain";
            case "kvlds":
                return "Java kvlds on C lbs";
            default:
                throw new IllegalArgumentException("unknown chain '" + chain + "' (expected: java, c or kvlds)");
        }
    }

    /** The alternative JVM as the table names it: its release (from JAVA_HOME/release) and options. */
    private String altDescription() {
        List<String> parts = new ArrayList<>();
        if (altJavaHome != null) {
            parts.add("Java " + releaseOf(altJavaHome));
        }
        if (altJavaOpts != null) {
            parts.add(altJavaOpts);
        }
        if (altKvldsArgs != null) {
            parts.add("kvlds " + altKvldsArgs.strip());
        }
        return String.join(" ", parts);
    }

    private List<String> altKvldsArgList() {
        if (altKvldsArgs == null || altKvldsArgs.isBlank()) {
            return List.of();
        }
        return List.of(altKvldsArgs.strip().split("\\s+"));
    }

    private static String releaseOf(Path javaHome) {
        try {
            for (String line : Files.readAllLines(javaHome.resolve("release"))) {
                if (line.startsWith("JAVA_VERSION=")) {
                    return line.substring("JAVA_VERSION=".length()).replace("\"", "");
                }
            }
        } catch (IOException e) {
            // No release file (not a JDK image): the directory's name still says which JVM it is.
        }
        return javaHome.getFileName().toString();
    }

    private void writePairs(Path file) throws IOException {
        try (OutputStream out = new BufferedOutputStream(Files.newOutputStream(file), 1 << 20)) {
            PairGroups groups = new PairGroups(count);
            for (byte[] group = groups.nextGroup(); group != null; group = groups.nextGroup()) {
                out.write(group);
            }
        }
    }
}
