package io.kivaloo.tests.cli;

import io.kivaloo.proto.kvlds.Key;
import io.kivaloo.proto.net.KivalooAddress;
import io.kivaloo.tests.chain.Chain;
import io.kivaloo.tests.chain.ChainExtension;
import io.kivaloo.tests.chain.DaemonBinaries;
import io.kivaloo.tests.chain.Role;
import io.kivaloo.tests.chain.Wiring;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * bin/kivaloo-cli as a user runs it, against a real chain (through mux):
 * every command, every exit status, the encodings, load and range, limits
 * checked before sending, and where the address comes from.
 */
class CliIT {

    private static final int EXIT_DONE = 0;
    private static final int EXIT_FALSE = 1;
    private static final int EXIT_USAGE = 2;
    private static final int EXIT_FAILURE = 3;

    @RegisterExtension
    final ChainExtension chains = new ChainExtension();

    @TempDir
    Path directory;

    private CliProcess cli() {
        return new CliProcess(DaemonBinaries.fromSystemProperties().root(), directory);
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(Wiring.class)
    void everyCommandAnswersWithItsExitStatus(Wiring wiring) throws Exception {
        Chain chain = chains.start(Chain.builder().wiring(wiring));
        String target = chain.address(Role.MUX).text();
        CliProcess cli = cli();

        expect(cli.run("-t", target, "get", "hello"), EXIT_FALSE, "");
        expect(cli.run("-t", target, "set", "hello", "world"), EXIT_DONE, "");
        expect(cli.run("-t", target, "get", "hello"), EXIT_DONE, "world\n");
        expect(cli.run("-t", target, "add", "hello", "again"), EXIT_FALSE, "");
        expect(cli.run("-t", target, "add", "fresh", "one"), EXIT_DONE, "");
        expect(cli.run("-t", target, "modify", "absent", "x"), EXIT_FALSE, "");
        expect(cli.run("-t", target, "modify", "fresh", "two"), EXIT_DONE, "");
        expect(cli.run("-t", target, "cas", "hello", "not-world", "x"), EXIT_FALSE, "");
        expect(cli.run("-t", target, "cas", "absent", "world", "x"), EXIT_FALSE, "");
        expect(cli.run("-t", target, "cas", "hello", "world", "there"), EXIT_DONE, "");
        expect(cli.run("-t", target, "get", "hello"), EXIT_DONE, "there\n");
        expect(cli.run("-t", target, "cad", "hello", "world"), EXIT_FALSE, "");
        expect(cli.run("-t", target, "cad", "absent", "world"), EXIT_FALSE, "");
        expect(cli.run("-t", target, "cad", "hello", "there"), EXIT_DONE, "");
        expect(cli.run("-t", target, "get", "hello"), EXIT_FALSE, "");
        expect(cli.run("-t", target, "range"), EXIT_DONE, "fresh\ttwo\n");
        expect(cli.run("-t", target, "delete", "fresh"), EXIT_DONE, "");
        expect(cli.run("-t", target, "delete", "fresh"), EXIT_DONE, "");
        expect(cli.run("-t", target, "range"), EXIT_DONE, "");
        // A value starting with '-' is a value, not an option.
        expect(cli.run("-t", target, "set", "counter", "-1"), EXIT_DONE, "");
        expect(cli.run("-t", target, "get", "counter"), EXIT_DONE, "-1\n");

        CliProcess.Result params = cli.run("-t", target, "params");
        expect(params, EXIT_DONE, "max-key-length 255\nmax-value-length 255\n");
        CliProcess.Result ping = cli.run("-t", target, "ping");
        assertThat(ping.status()).as(ping.toString()).isEqualTo(EXIT_DONE);
        assertThat(ping.stdout()).as(ping.toString())
                .matches("pong from " + java.util.regex.Pattern.quote(target) + " in [0-9]+\\.[0-9]{3} ms\n");
        assertThat(ping.stderr()).as(ping.toString()).isEmpty();

        CliProcess.Result usage = cli.run("-t", target, "set", "only-a-key");
        assertThat(usage.status()).as(usage.toString()).isEqualTo(EXIT_USAGE);
        assertThat(usage.errorLines()).as(usage.toString()).hasSize(2);
        assertThat(usage.errorLines().get(0)).startsWith("kivaloo-cli: ");
    }

    @Test
    void aUtf8KeyRoundTripsThroughSetGetAndRange() throws Exception {
        Chain chain = chains.start(Chain.builder());
        String target = chain.address(Role.MUX).text();
        CliProcess cli = cli();

        expect(cli.run("-t", target, "set", "café-日本", "値-ü"), EXIT_DONE, "");
        expect(cli.run("-t", target, "get", "café-日本"), EXIT_DONE, "値-ü\n");
        // Bytes that are not printable UTF-8 go in and come out as \xNN.
        expect(cli.run("-t", target, "set", "raw\\xff", "tab\\x09nl\\x0aend"), EXIT_DONE, "");
        expect(cli.run("-t", target, "range"), EXIT_DONE, "café-日本\t値-ü\nraw\\xff\ttab\\x09nl\\x0aend\n");
        // Stored as UTF-8 bytes, as another client sees them.
        assertThat(chain.client().get(Key.wrap("café-日本".getBytes(StandardCharsets.UTF_8))))
                .isEqualTo(Key.wrap("値-ü".getBytes(StandardCharsets.UTF_8)));
        assertThat(chain.client().get(Key.wrap(new byte[] {'r', 'a', 'w', (byte) 0xff})))
                .isEqualTo(Key.wrap("tab\tnl\nend".getBytes(StandardCharsets.UTF_8)));

        // In the C locale Java would read the arguments as ASCII; the launcher switches to C.UTF-8.
        CliProcess cLocale = cli().environment("LC_ALL", "C").environment("LANG", "C");
        expect(cLocale.run("-t", target, "get", "café-日本"), EXIT_DONE, "値-ü\n");
        expect(cLocale.run("-t", target, "set", "ñ", "ok"), EXIT_DONE, "");
        assertThat(chain.client().get(Key.wrap("ñ".getBytes(StandardCharsets.UTF_8)))).isEqualTo(Key.wrap("ok".getBytes(StandardCharsets.UTF_8)));
    }

    @Test
    void hexAndBase64WriteTheSameBytes() throws Exception {
        Chain chain = chains.start(Chain.builder());
        String target = chain.address(Role.MUX).text();
        CliProcess cli = cli();

        expect(cli.run("-t", target, "--encoding", "hex", "set", "00ff", "68690a"), EXIT_DONE, "");
        expect(cli.run("-t", target, "--encoding", "base64", "get", "AP8="), EXIT_DONE, "aGkK\n");
        expect(cli.run("-t", target, "get", "\\x00\\xff"), EXIT_DONE, "hi\\x0a\n");
        expect(cli.run("-t", target, "--encoding", "base64", "set", "a2V5", "dmFsdWU="), EXIT_DONE, "");
        expect(cli.run("-t", target, "--encoding", "hex", "range"), EXIT_DONE, "00ff\t68690a\n6b6579\t76616c7565\n");
        expect(cli.run("-t", target, "range", "--encoding", "base64"), EXIT_DONE, "AP8=\taGkK\na2V5\tdmFsdWU=\n");
        CliProcess.Result badHex = cli.run("-t", target, "--encoding", "hex", "get", "abc");
        assertThat(badHex.status()).as(badHex.toString()).isEqualTo(EXIT_USAGE);
        assertThat(badHex.errorLines()).as(badHex.toString()).containsExactly(
                "kivaloo-cli: KEY: hex text has odd length 3 (expected: two digits per byte)");
    }

    @Test
    void tenThousandLoadedLinesComeBackFromRangeInKeyOrder() throws Exception {
        Chain chain = chains.start(Chain.builder());
        String target = chain.address(Role.MUX).text();
        List<String> lines = new ArrayList<>();
        for (int i = 0; i < 10_000; i++) {
            String key = (i % 3 == 0 ? "ключ-" : "k-") + String.format("%05d", i);
            String value = "v" + i + (i % 7 == 0 ? "\\x00\\x09end" : "");
            lines.add(key + "\t" + value);
        }
        List<String> shuffled = new ArrayList<>(lines);
        long seed = 22;
        Collections.shuffle(shuffled, new Random(seed));
        Path input = directory.resolve("pairs.txt");
        Files.write(input, shuffled, StandardCharsets.UTF_8);

        CliProcess.Result load = cli().stdin(input).run("-t", target, "load");
        expect(load, EXIT_DONE, "loaded 10000 pairs\n");

        lines.sort(Comparator.comparing(line -> line.substring(0, line.indexOf('\t')).getBytes(StandardCharsets.UTF_8),
                Arrays::compareUnsigned));
        CliProcess.Result range = cli().run("-t", target, "range");
        assertThat(range.status()).as(range.errorLines().toString()).isEqualTo(EXIT_DONE);
        assertThat(range.outputLines()).as("range after load (seed " + seed + ")").containsExactlyElementsOf(lines);

        // [START, END): END itself is not listed (k-00102 is ключ-00102: 102 is a multiple of 3).
        CliProcess.Result part = cli().run("-t", target, "range", "k-00100", "k-00104");
        expect(part, EXIT_DONE, "k-00100\tv100\nk-00101\tv101\nk-00103\tv103\n");
        CliProcess.Result tail = cli().run("-t", target, "range", "ключ-09990");
        expect(tail, EXIT_DONE, "ключ-09990\tv9990\nключ-09993\tv9993\nключ-09996\tv9996\\x00\\x09end\nключ-09999\tv9999\n");

        // range's output loads back unchanged.
        Path dump = directory.resolve("dump.txt");
        Files.writeString(dump, range.stdout(), StandardCharsets.UTF_8);
        expect(cli().stdin(dump).run("-t", target, "load"), EXIT_DONE, "loaded 10000 pairs\n");
    }

    @Test
    void anOversizeKeyIsRefusedBeforeAnythingIsSent() throws Exception {
        Chain chain = chains.start(Chain.builder().kvldsOptions("-k", "16", "-v", "32"));
        String target = chain.address(Role.MUX).text();
        CliProcess cli = cli();
        expect(cli.run("-t", target, "params"), EXIT_DONE, "max-key-length 16\nmax-value-length 32\n");

        String longKey = "k".repeat(17);
        CliProcess.Result refused = cli.run("-t", target, "set", longKey, "v");
        assertThat(refused.status()).as(refused.toString()).isEqualTo(EXIT_USAGE);
        assertThat(refused.errorLines()).as(refused.toString()).containsExactly("kivaloo-cli: KEY is 17 bytes "
                + "(expected: <= 16, max-key-length from the server's PARAMS); nothing was sent for it");
        CliProcess.Result longValue = cli.run("-t", target, "add", "k", "v".repeat(33));
        assertThat(longValue.status()).as(longValue.toString()).isEqualTo(EXIT_USAGE);
        assertThat(longValue.errorLines().get(0)).contains("VALUE is 33 bytes (expected: <= 32");

        // The chain still serves, and the key is absent (a GET may name it: the limit is for stored keys).
        expect(cli.run("-t", target, "ping"), EXIT_DONE, null);
        expect(cli.run("-t", target, "get", longKey), EXIT_FALSE, "");
        assertThat(chain.client().get(Key.wrap(longKey.getBytes(StandardCharsets.UTF_8)))).isNull();

        // load stops at the offending line, after the lines before it are stored.
        Path input = directory.resolve("oversize.txt");
        Files.writeString(input, "a\t1\nb\t2\n" + longKey + "\t3\nc\t4\n", StandardCharsets.UTF_8);
        CliProcess.Result load = cli().stdin(input).run("-t", target, "load");
        assertThat(load.status()).as(load.toString()).isEqualTo(EXIT_USAGE);
        assertThat(load.errorLines()).as(load.toString()).containsExactly("kivaloo-cli: line 3: key is 17 bytes "
                + "(expected: <= 16, max-key-length from the server's PARAMS); nothing was sent for it; "
                + "the 2 pairs before it are stored");
        expect(cli.run("-t", target, "range"), EXIT_DONE, "a\t1\nb\t2\n");

        Path malformed = directory.resolve("malformed.txt");
        Files.writeString(malformed, "d\t5\nno tab here\n", StandardCharsets.UTF_8);
        CliProcess.Result bad = cli().stdin(malformed).run("-t", target, "load");
        assertThat(bad.status()).as(bad.toString()).isEqualTo(EXIT_USAGE);
        assertThat(bad.errorLines()).as(bad.toString()).containsExactly(
                "kivaloo-cli: line 2: no TAB (expected: key<TAB>value); the 1 pairs before it are stored");
    }

    @Test
    void noServerIsExitThreeWithOneLine() throws Exception {
        Path socket = directory.resolve("nobody.sock");
        CliProcess.Result unix = cli().run("-t", socket.toString(), "get", "k");
        assertThat(unix.status()).as(unix.toString()).isEqualTo(EXIT_FAILURE);
        assertThat(unix.errorLines()).as(unix.toString()).hasSize(1);
        assertThat(unix.errorLines().get(0)).startsWith("kivaloo-cli: cannot connect to " + socket + ": ");
        assertThat(unix.stdout()).isEmpty();

        int port;
        try (ServerSocket probe = new ServerSocket()) {
            probe.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
            port = probe.getLocalPort();
        }
        CliProcess.Result tcp = cli().run("-t", "[127.0.0.1]:" + port, "set", "k", "v");
        assertThat(tcp.status()).as(tcp.toString()).isEqualTo(EXIT_FAILURE);
        assertThat(tcp.errorLines()).as(tcp.toString()).hasSize(1);
        assertThat(tcp.errorLines().get(0)).startsWith("kivaloo-cli: cannot connect to [127.0.0.1]:" + port + ": ");
    }

    @Test
    void theAddressIsKivalooAddressElseKivalooDataInTheWorkingDirectory() throws Exception {
        Chain chain = chains.start(Chain.builder());
        Path mux = ((KivalooAddress.Unix) chain.address(Role.MUX)).path();

        CliProcess fromVariable = cli().environment("KIVALOO_ADDRESS", mux.toString());
        expect(fromVariable.run("set", "from", "variable"), EXIT_DONE, "");
        expect(fromVariable.run("get", "from"), EXIT_DONE, "variable\n");

        // What bin/kivaloo-start makes: ./kivaloo-data/kivaloo.sock (here a link to the chain's mux socket).
        Path work = Files.createDirectory(directory.resolve("work"));
        Files.createSymbolicLink(Files.createDirectory(work.resolve("kivaloo-data")).resolve("kivaloo.sock"), mux);
        expect(cli().workingDirectory(work).run("get", "from"), EXIT_DONE, "variable\n");

        // Without either: the working directory's kivaloo-data, here absent.
        CliProcess.Result nowhere = cli().run("get", "from");
        assertThat(nowhere.status()).as(nowhere.toString()).isEqualTo(EXIT_FAILURE);
        assertThat(nowhere.errorLines()).containsExactly(nowhere.errorLines().get(0));
        assertThat(nowhere.errorLines().get(0))
                .startsWith("kivaloo-cli: cannot connect to " + directory.resolve("kivaloo-data/kivaloo.sock"));
    }

    /**
     * With no command on a terminal: the prompt. Lines run on one connection
     * and print what the commands print; a bad command and a false condition
     * are one line each and the session goes on; quit ends it with status 0,
     * the pairs stored and the lines in the history file.
     */
    @Test
    void thePromptRunsTypedLinesOnATerminalUntilQuit() throws Exception {
        Chain chain = chains.start(Chain.builder());
        String target = chain.address(Role.MUX).text();
        Path history = directory.resolve("history");
        Path cli = DaemonBinaries.fromSystemProperties().root().resolve("bin/kivaloo-cli");
        try (TerminalSession terminal = TerminalSession.start(cli, List.of("-t", target), directory,
                java.util.Map.of("KIVALOO_CLI_HISTORY", history.toString()))) {
            assertThat(terminal.awaitPrompt()).contains("kivaloo-cli on " + target);
            terminal.type("set café-日本 'two words'");
            terminal.awaitPrompt();
            terminal.type("get café-日本");
            assertThat(terminal.awaitPrompt()).contains("\ntwo words\n");
            terminal.type("frobnicate");
            assertThat(terminal.awaitPrompt()).contains("kivaloo-cli: Unmatched argument at index 0: 'frobnicate'");
            terminal.type("add café-日本 again");
            assertThat(terminal.awaitPrompt()).contains("kivaloo-cli: the condition was false (exit 1)");
            terminal.type("range");
            assertThat(terminal.awaitPrompt()).contains("\ncafé-日本\ttwo words\n");
            terminal.type("quit");
            assertThat(terminal.awaitExit()).as(terminal.screen()).isEqualTo(EXIT_DONE);
        }
        assertThat(chain.client().get(Key.wrap("café-日本".getBytes(StandardCharsets.UTF_8))))
                .isEqualTo(Key.wrap("two words".getBytes(StandardCharsets.UTF_8)));
        assertThat(Files.readAllLines(history, StandardCharsets.UTF_8)).hasSize(6)
                .first().asString().endsWith(":set café-日本 'two words'");
    }

    /** Status and, unless null, stdout exactly; stderr empty either way. */
    private static void expect(CliProcess.Result result, int status, String stdout) {
        assertThat(result.status()).as(result.toString()).isEqualTo(status);
        if (stdout != null) {
            assertThat(result.stdout()).as(result.toString()).isEqualTo(stdout);
        }
        assertThat(result.stderr()).as(result.toString()).isEmpty();
    }
}
