package io.kivaloo.tests.tools;

import io.kivaloo.proto.client.BlockingKvldsClient;
import io.kivaloo.proto.daemon.CKivalooBinaries;
import io.kivaloo.proto.kvlds.Key;
import io.kivaloo.tests.chain.BlockStoreDaemon;
import io.kivaloo.tests.chain.Chain;
import io.kivaloo.tests.chain.ChainExtension;
import io.kivaloo.tests.chain.DaemonBinaries;
import io.kivaloo.tests.chain.Role;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.TreeMap;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * kivaloo-kvlds-dump and -undump against real chains, and against the C
 * tools (mux.md §3-4): the same store dumps to the same bytes and the same
 * {@code --fs} tree with either tool, each side's undump loads the other's
 * dump, a round trip loses nothing, and bad input or a dead server ends the
 * tool with one line on stderr and its exit status, after storing exactly
 * the pairs before the fault. The C tools fail on empty keys and values
 * (see {@link DumpFiles#randomPairsTheCToolsHandle}); ours dump and load
 * them, which the round trip checks.
 */
class DumpIT {

    private static final int PAIRS = 3000;

    @RegisterExtension
    final ChainExtension chains = new ChainExtension();

    @TempDir
    Path scratch;

    private DaemonBinaries binaries;

    private Chain startChain(String... kvldsOptions) throws IOException {
        binaries = DaemonBinaries.fromSystemProperties();
        binaries.assumeBuilt();
        return chains.start(Chain.builder().binaries(binaries).kvldsOptions(kvldsOptions));
    }

    private String ours(String tool) {
        return binaries.root().resolve("bin").resolve("kivaloo-kvlds-" + tool).toString();
    }

    private static String theirs(String tool) {
        return CKivalooBinaries.require("kivaloo-kvlds-" + tool).toString();
    }

    private ToolRun run(String... command) throws Exception {
        return ToolRun.run(scratch, List.of(command));
    }

    private ToolRun runWithInput(Path stdin, String... command) throws Exception {
        return ToolRun.run(scratch, List.of(command), stdin, Map.of());
    }

    private static String target(Chain chain) {
        return chain.address(Role.MUX).text();
    }

    private ToolRun succeeded(ToolRun run) {
        assertThat(run.status()).as("%s", run).isZero();
        return run;
    }

    @Test
    void oursAndTheCDumpWriteTheBytesAndTreesTheModelSays() throws Exception {
        Chain chain = startChain();
        NavigableMap<Key, Key> pairs = DumpFiles.randomPairsTheCToolsHandle(1, PAIRS);
        DumpFiles.load(chain.connect(Role.MUX), pairs);
        byte[] expected = DumpFiles.expectedStream(pairs);

        assertThat(succeeded(run(ours("dump"), "-t", target(chain))).stdout()).isEqualTo(expected);
        Path ourTree = Files.createDirectory(scratch.resolve("ours"));
        succeeded(run(ours("dump"), "-t", target(chain), "--fs", ourTree.toString()));
        assertThat(DumpFiles.readTree(ourTree)).isEqualTo(DumpFiles.expectedTree(pairs));

        String cDump = theirs("dump");
        assertThat(succeeded(run(cDump, "-t", target(chain))).stdout()).isEqualTo(expected);
        Path cTree = Files.createDirectory(scratch.resolve("c"));
        succeeded(run(cDump, "-t", target(chain), "--fs", cTree.toString()));
        assertThat(DumpFiles.readTree(cTree)).isEqualTo(DumpFiles.readTree(ourTree));
    }

    @Test
    void eachSidesUndumpLoadsTheOtherSidesDump() throws Exception {
        Chain source = startChain();
        NavigableMap<Key, Key> pairs = DumpFiles.randomPairsTheCToolsHandle(2, PAIRS);
        DumpFiles.load(source.connect(Role.MUX), pairs);
        byte[] expected = DumpFiles.expectedStream(pairs);
        Path cStream = scratch.resolve("c.dump");
        Files.write(cStream, succeeded(run(theirs("dump"), "-t", target(source))).stdout());
        Path ourTree = Files.createDirectory(scratch.resolve("ours"));
        succeeded(run(ours("dump"), "-t", target(source), "--fs", ourTree.toString()));

        Chain loadedByUs = startChain();
        succeeded(runWithInput(cStream, ours("undump"), "-t", target(loadedByUs)));
        assertThat(succeeded(run(theirs("dump"), "-t", target(loadedByUs))).stdout()).isEqualTo(expected);

        Chain loadedByC = startChain();
        succeeded(run(theirs("undump"), "-t", target(loadedByC), "--fs", ourTree.toString()));
        assertThat(succeeded(run(ours("dump"), "-t", target(loadedByC))).stdout()).isEqualTo(expected);
    }

    /**
     * The tools stream: a store of 100,000 pairs (about 28 MB) goes out and
     * back in through tools whose heap is 16 MiB. The dump reads it with the
     * client library's RangeCursor, whose answers stay within the budget. The dump is the consistent one the docs
     * describe: mux stopped, so the dump holds kvlds's only connection and
     * no write can land between two of its RANGEs.
     */
    @Test
    void aStoreLargerThanTheToolsHeapRoundTripsWithTheSummaryLines() throws Exception {
        Chain source = startChain();
        NavigableMap<Key, Key> pairs = DumpFiles.randomPairs(3, 100_000, Key.MAX_LENGTH);
        DumpFiles.load(source.connect(Role.MUX), pairs);
        Map<String, String> smallHeap = Map.of("KIVALOO_JAVA_OPTS", "-Xmx16m");
        Path dump = scratch.resolve("all.dump");
        source.stop(Role.MUX);

        ToolRun dumped = ToolRun.run(scratch, List.of(ours("dump"), "-t", source.address(Role.KVLDS).text(), "-v", "x"),
                null, smallHeap);
        succeeded(dumped);
        assertThat(dumped.stdout()).isEqualTo(DumpFiles.expectedStream(pairs));
        assertThat(dumped.stderr()).matches("Dumped 100000 key-value pairs in [0-9]+\\.[0-9]+ seconds\\.\n");
        Files.write(dump, dumped.stdout());

        Chain copy = startChain();
        ToolRun stored = ToolRun.run(scratch, List.of(ours("undump"), "-t", target(copy), "-v"), dump, smallHeap);
        succeeded(stored);
        assertThat(stored.stderr()).matches("Stored 100000 key-value pairs in [0-9]+\\.[0-9]+ seconds\\.\n");
        assertThat(succeeded(run(ours("dump"), "-t", target(copy))).stdout()).isEqualTo(dumped.stdout());
    }

    /**
     * Migration from the original: a C chain (C lbs, kvlds and mux) holding
     * every kind of pair, empty keys and values included, dumped with our
     * tool and loaded into our chain, dumps to the same bytes there.
     */
    @Test
    void aStoreOfTheCKivalooMigratesToOursWithEveryPair() throws Exception {
        DaemonBinaries ourBinaries = DaemonBinaries.fromSystemProperties();
        DaemonBinaries cBinaries = new DaemonBinaries(ourBinaries.root(),
                BlockStoreDaemon.lbs(CKivalooBinaries.require("kivaloo-lbs"), DaemonBinaries.DEFAULT_BLOCK_SIZE),
                CKivalooBinaries.require("kivaloo-kvlds"), CKivalooBinaries.require("kivaloo-mux"));
        Chain original = chains.start(Chain.builder().binaries(cBinaries));
        NavigableMap<Key, Key> pairs = DumpFiles.randomPairs(6, PAIRS, Key.MAX_LENGTH);
        DumpFiles.load(original.connect(Role.MUX), pairs);
        Path dump = scratch.resolve("from-c.dump");
        Chain ours = startChain();
        Files.write(dump, succeeded(run(ours("dump"), "-t", target(original))).stdout());
        assertThat(Files.readAllBytes(dump)).isEqualTo(DumpFiles.expectedStream(pairs));

        succeeded(runWithInput(dump, ours("undump"), "-t", target(ours)));
        assertThat(succeeded(run(ours("dump"), "-t", target(ours))).stdout()).isEqualTo(Files.readAllBytes(dump));
    }

    @Test
    void aTruncatedDumpStoresThePairsBeforeTheCutAndExits1() throws Exception {
        NavigableMap<Key, Key> pairs = DumpFiles.randomPairs(4, 51, 40);
        byte[] whole = DumpFiles.expectedStream(pairs);
        NavigableMap<Key, Key> first50 = new TreeMap<>(pairs.headMap(pairs.lastKey(), false));
        int cut = DumpFiles.expectedStream(first50).length + 2; // inside the 51st pair's key
        Path truncated = scratch.resolve("truncated.dump");
        Files.write(truncated, Arrays.copyOf(whole, cut));
        Chain chain = startChain();

        ToolRun undump = runWithInput(truncated, ours("undump"), "-t", target(chain));
        assertThat(undump.status()).as("%s", undump).isEqualTo(1);
        assertThat(undump.errorLines()).as("%s", undump).hasSize(1);
        assertThat(undump.errorLines().get(0))
                .startsWith("kivaloo-kvlds-undump: dump truncated: pair 50 at byte " + (cut - 1));
        assertThat(succeeded(run(ours("dump"), "-t", target(chain))).stdout())
                .isEqualTo(DumpFiles.expectedStream(first50));
    }

    /**
     * The C undump sends an oversize pair and kvlds drops the connection with
     * every SET in flight; ours checks PARAMS first and stops at that pair,
     * after the ones before it are stored, and the store serves on.
     */
    @Test
    void aPairOverTheServersLimitsStopsTheUndumpAloneAfterThePairsBeforeIt() throws Exception {
        Chain chain = startChain("-k", "16");
        BlockingKvldsClient bystander = chain.client();
        bystander.set(Key.of("bystander"), Key.of("here"));
        NavigableMap<Key, Key> small = new TreeMap<>();
        for (int i = 0; i < 100; i++) {
            small.put(Key.of(String.format("key%05d", i)), Key.of("v" + i));
        }
        NavigableMap<Key, Key> input = new TreeMap<>(small);
        input.put(Key.of("key99999-over-sixteen-bytes"), Key.of("too long"));
        input.put(Key.of("lz"), Key.of("after"));
        Path dump = scratch.resolve("oversize.dump");
        Files.write(dump, DumpFiles.expectedStream(input));

        ToolRun undump = runWithInput(dump, ours("undump"), "-t", target(chain));
        assertThat(undump.status()).as("%s", undump).isEqualTo(1);
        assertThat(undump.errorLines()).as("%s", undump).containsExactly("kivaloo-kvlds-undump: pair 100 key 27 bytes "
                + "(expected: <= 16) over the server's limits (PARAMS); nothing after it was sent");
        NavigableMap<Key, Key> expected = new TreeMap<>(small);
        expected.put(Key.of("bystander"), Key.of("here"));
        assertThat(succeeded(run(ours("dump"), "-t", target(chain))).stdout())
                .isEqualTo(DumpFiles.expectedStream(expected));
        assertThat(bystander.get(Key.of("bystander"))).isEqualTo(Key.of("here"));
    }

    @Test
    void usageConnectionAndDirectoryErrorsEndWithOneLineAndTheirStatus() throws Exception {
        binaries = DaemonBinaries.fromSystemProperties();
        binaries.assumeBuilt();
        String nobody = scratch.resolve("nobody.sock").toString();
        for (String tool : List.of("dump", "undump")) {
            ToolRun noTarget = run(ours(tool));
            assertThat(noTarget.status()).as("%s", noTarget).isEqualTo(2);
            assertThat(noTarget.stderr()).as("%s", noTarget).contains("-t");

            ToolRun noServer = run(ours(tool), "-t", nobody);
            assertThat(noServer.status()).as("%s", noServer).isEqualTo(1);
            assertThat(noServer.errorLines()).as("%s", noServer).hasSize(1);
            assertThat(noServer.errorLines().get(0)).startsWith("kivaloo-kvlds-" + tool + ": ").contains(nobody);

            ToolRun noDirectory = run(ours(tool), "-t", nobody, "--fs", scratch.resolve("missing").toString());
            assertThat(noDirectory.status()).as("%s", noDirectory).isEqualTo(1);
            assertThat(noDirectory.errorLines()).as("%s", noDirectory)
                    .containsExactly("kivaloo-kvlds-" + tool + ": --fs " + scratch.resolve("missing") + ": not a directory");
        }
        List<String> help = new ArrayList<>(run(ours("dump"), "--help").errorLines());
        help.addAll(List.of(new String(run(ours("dump"), "--help").stdout()).split("\n")));
        assertThat(String.join("\n", help)).contains("Exit status").contains("--fs");
    }
}
