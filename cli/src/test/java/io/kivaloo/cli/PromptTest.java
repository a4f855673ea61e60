package io.kivaloo.cli;

import io.kivaloo.proto.kvlds.Key;
import io.kivaloo.proto.kvlds.KvldsRequest;
import io.kivaloo.proto.kvlds.KvldsResponse;
import org.jline.reader.Candidate;
import org.jline.reader.Completer;
import org.jline.reader.LineReader;
import org.jline.reader.Parser;
import org.jline.reader.impl.LineReaderImpl;
import org.jline.terminal.Terminal;
import org.jline.terminal.impl.DumbTerminal;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.function.Function;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The interactive prompt driven through JLine on a dumb terminal over piped
 * streams, against a scripted server that stores pairs: lines run as the
 * commands do on one connection, a failing or false line does not end the
 * session, nor does Ctrl-C during a command, a lost connection is
 * reconnected, history goes to its file, and completion offers the commands
 * and options.
 */
class PromptTest {

    private static final KvldsResponse.Params LIMITS = new KvldsResponse.Params(16, 32);

    @TempDir
    Path directory;

    /** The terminal of the prompt running, for a script to press Ctrl-C on. */
    private volatile Terminal runningTerminal;

    @Test
    void linesRunAsCommandsOnOneConnectionUntilQuit() throws Exception {
        try (StubKvlds stub = storingStub()) {
            PromptRun run = prompt(stub.address(), "set hello world\nget hello\nset 'two words' \"a b\"\n"
                    + "range\nparams\nquit\nget hello\n");
            assertThat(run.status()).as(run.toString()).isZero();
            assertThat(run.outputs()).as(run.toString()).containsExactly("", "world\n",
                    "", "hello\tworld\ntwo words\ta b\n", "max-key-length 16\nmax-value-length 32\n", "");
            assertThat(run.stderr()).isEmpty();
            assertThat(stub.connectionsAccepted()).isEqualTo(1);
        }
    }

    @Test
    void failingAndFalseLinesAreOneLineEachAndTheSessionGoesOn() throws Exception {
        try (StubKvlds stub = storingStub()) {
            PromptRun run = prompt(stub.address(), "get absent\nfrobnicate\nset onlykey\n"
                    + "set a-key-of-twenty-bytes v\nget k --encoding hex\nload\nset k v\nget k\n");
            assertThat(run.status()).as(run.toString()).isZero();
            assertThat(run.errorLines()).as(run.toString()).satisfiesExactly(
                    line -> assertThat(line).isEqualTo("kivaloo-cli: the condition was false (exit 1)"),
                    line -> assertThat(line).contains("Unmatched argument").contains("frobnicate"),
                    line -> assertThat(line).startsWith("Try "),
                    line -> assertThat(line).contains("Missing required parameter: 'VALUE'"),
                    line -> assertThat(line).startsWith("Try "),
                    line -> assertThat(line).contains("KEY is 21 bytes (expected: <= 16"),
                    line -> assertThat(line).contains("KEY").contains("hex"),
                    line -> assertThat(line).contains("load reads stdin"));
            assertThat(run.outputs()).as(run.toString()).containsExactly("", "", "", "", "", "", "", "v\n", "");
            assertThat(stub.connectionsAccepted()).isEqualTo(1);
        }
    }

    @Test
    void optionsGivenWhenThePromptOpensAreEachLinesDefaults() throws Exception {
        try (StubKvlds stub = storingStub()) {
            PromptRun run = prompt(List.of("-t", stub.address(), "--encoding", "hex"),
                    "set 6b 76\nget 6b\nget k --encoding utf8\nget 6b\n");
            assertThat(run.status()).as(run.toString()).isZero();
            assertThat(run.outputs()).as(run.toString()).containsExactly("", "76\n", "v\n", "76\n", "");
        }
    }

    @Test
    void backslashesAndBangsReachTheCommandUnchanged() throws Exception {
        try (StubKvlds stub = storingStub()) {
            PromptRun run = prompt(stub.address(), "set caf\\xc3\\xa9 !!\nrange\n");
            assertThat(run.outputs()).as(run.toString()).containsExactly("", "café\t!!\n", "");
        }
    }

    @Test
    void aLostConnectionIsReportedAndTheNextLineConnectsAgain() throws Exception {
        try (StubKvlds stub = new StubKvlds(directory, LIMITS, storing(request ->
                request instanceof KvldsRequest.Get && ((KvldsRequest.Get) request).key().equals(Key.of("drop"))))) {
            PromptRun run = prompt(stub.address(), "set k v\nget drop\nget k\n");
            assertThat(run.status()).as(run.toString()).isZero();
            assertThat(run.errorLines()).as(run.toString()).satisfiesExactly(
                    line -> assertThat(line).startsWith("kivaloo-cli: GET to " + stub.address() + " failed"),
                    line -> assertThat(line).isEqualTo("kivaloo-cli: the connection to " + stub.address()
                            + " was lost; connecting again"));
            assertThat(run.outputs()).as(run.toString()).containsExactly("", "", "v\n", "");
            assertThat(stub.connectionsAccepted()).isEqualTo(2);
        }
    }

    @Test
    void ctrlCDuringACommandFailsThatCommandAloneAndTheSessionGoesOn() throws Exception {
        Function<KvldsRequest, KvldsResponse> store = storing(request -> false);
        Key hang = Key.of("hang");
        try (StubKvlds stub = new StubKvlds(directory, LIMITS, request -> {
            if (request instanceof KvldsRequest.Get && ((KvldsRequest.Get) request).key().equals(hang)) {
                // The GET is out and unanswered: the user presses Ctrl-C.
                runningTerminal.raise(Terminal.Signal.INT);
                return StubKvlds.NO_ANSWER;
            }
            return store.apply(request);
        })) {
            PromptRun run = prompt(stub.address(), "set k v\nget hang\nget k\n");
            assertThat(run.status()).as(run.toString()).isZero();
            assertThat(run.errorLines()).as(run.toString())
                    .containsExactly("kivaloo-cli: interrupted waiting for GET from " + stub.address());
            assertThat(run.outputs()).as(run.toString()).containsExactly("", "", "v\n", "");
            assertThat(stub.connectionsAccepted()).isEqualTo(1);
        }
    }

    @Test
    void withNoServerEachLineSaysWhyAndTheSessionGoesOn() throws Exception {
        String nowhere = directory.resolve("nothing.sock").toString();
        PromptRun run = prompt(nowhere, "get k\nquit\n");
        assertThat(run.status()).as(run.toString()).isZero();
        assertThat(run.errorLines()).hasSize(2).allSatisfy(line ->
                assertThat(line).startsWith("kivaloo-cli: cannot connect to " + nowhere));
    }

    @Test
    void historyIsWrittenToItsFileOwnerOnly() throws Exception {
        Path history = directory.resolve("history");
        try (StubKvlds stub = storingStub()) {
            prompt(List.of("-t", stub.address()), "set a b\n  set secret s\nget a\nexit\n", history);
        }
        List<String> lines = Files.readAllLines(history, StandardCharsets.UTF_8);
        // JLine's format, time:line; the line that starts with a space is left out.
        assertThat(lines).hasSize(3);
        assertThat(lines.get(0)).endsWith(":set a b");
        assertThat(lines.get(1)).endsWith(":get a");
        assertThat(lines.get(2)).endsWith(":exit");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(history))).isEqualTo("rw-------");

        PromptRun second;
        try (StubKvlds stub = storingStub()) {
            second = prompt(List.of("-t", stub.address()), "quit\n", history);
        }
        assertThat(second.status()).isZero();
        assertThat(Files.readAllLines(history, StandardCharsets.UTF_8)).hasSize(4);
    }

    @Test
    void completionOffersCommandsLeaveWordsAndOptions() throws Exception {
        try (Terminal terminal = new DumbTerminal("test", Terminal.TYPE_DUMB, new ByteArrayInputStream(new byte[0]),
                new ByteArrayOutputStream(), StandardCharsets.UTF_8)) {
            KivalooCli options = new KivalooCli(new PrintStream(new ByteArrayOutputStream()), null, Map.of(), directory);
            CommandLine model = CliCommandLine.create(options);
            LineReader reader = PromptReader.create(terminal, model.getCommandSpec(), null, new PrintWriter(new StringWriter()));

            assertThat(complete(reader, "")).contains("get", "set", "range", "params", "ping", "help", "quit", "exit");
            assertThat(complete(reader, "get k --")).contains("--encoding", "--timeout", "--help");
            assertThat(complete(reader, "get k --encoding ")).contains("utf8", "hex", "base64");
        }
    }

    @Test
    void withNoCommandAndNoTerminalItIsStillAUsageError() {
        CliRun run = CliRun.run("-t", directory.resolve("s.sock").toString());
        assertThat(run.status()).isEqualTo(ExitStatus.USAGE);
        assertThat(run.errorLines().get(0)).startsWith("kivaloo-cli: missing command: one of get, set");
    }

    private static List<String> complete(LineReader reader, String line) {
        List<Candidate> candidates = new ArrayList<>();
        Completer completer = ((LineReaderImpl) reader).getCompleter();
        completer.complete(reader, reader.getParser().parse(line, line.length(), Parser.ParseContext.COMPLETE), candidates);
        List<String> values = new ArrayList<>();
        candidates.forEach(c -> values.add(c.value()));
        return values;
    }

    private StubKvlds storingStub() {
        return new StubKvlds(directory, LIMITS, storing(request -> false));
    }

    /** A store in a map; requests {@code drop} says close the connection instead of answering. */
    private static Function<KvldsRequest, KvldsResponse> storing(java.util.function.Predicate<KvldsRequest> drop) {
        ConcurrentSkipListMap<Key, Key> store = new ConcurrentSkipListMap<>();
        return request -> {
            if (drop.test(request)) {
                return null;
            }
            if (request instanceof KvldsRequest.Set) {
                KvldsRequest.Set set = (KvldsRequest.Set) request;
                store.put(set.key(), set.value());
                return KvldsResponse.Status.OK;
            }
            if (request instanceof KvldsRequest.Get) {
                return new KvldsResponse.Get(store.get(((KvldsRequest.Get) request).key()));
            }
            if (request instanceof KvldsRequest.Range) {
                List<KvldsResponse.Pair> pairs = new ArrayList<>();
                store.tailMap(((KvldsRequest.Range) request).start()).forEach((k, v) -> pairs.add(new KvldsResponse.Pair(k, v)));
                return new KvldsResponse.Range(Key.EMPTY, pairs);
            }
            throw new AssertionError("unexpected request " + request);
        };
    }

    private PromptRun prompt(String address, String typed) throws Exception {
        return prompt(List.of("-t", address), typed, null);
    }

    private PromptRun prompt(List<String> args, String typed) throws Exception {
        return prompt(args, typed, null);
    }

    /** kivaloo-cli with {@code args} and no command, on a dumb terminal that reads {@code typed}. */
    private PromptRun prompt(List<String> args, String typed, Path history) throws Exception {
        ByteArrayOutputStream screen = new ByteArrayOutputStream();
        try (Terminal terminal = new DumbTerminal("test", Terminal.TYPE_DUMB,
                new ByteArrayInputStream(typed.getBytes(StandardCharsets.UTF_8)), screen, StandardCharsets.UTF_8)) {
            runningTerminal = terminal;
            KivalooCli cli = new KivalooCli(new PrintStream(new ByteArrayOutputStream()), null, Map.of(), directory,
                    SessionSource.NEW_CONNECTION, options -> Prompt.open(options, terminal, history));
            CommandLine commandLine = CliCommandLine.create(cli);
            StringWriter err = new StringWriter();
            commandLine.setErr(new PrintWriter(err));
            int status = commandLine.execute(args.toArray(new String[0]));
            terminal.flush();
            return new PromptRun(status, screen.toString(StandardCharsets.UTF_8), err.toString());
        }
    }

    /** Exit status, what the terminal showed, stderr. */
    private record PromptRun(int status, String results, String stderr) {

        /**
         * What each line printed, in order, then "" for the prompt left at
         * the end (a dumb terminal does not echo what is typed, so the
         * screen is the banner, then prompt, output, prompt, output ...).
         */
        List<String> outputs() {
            String[] pieces = results.split(java.util.regex.Pattern.quote(Prompt.PROMPT), -1);
            assertThat(pieces[0]).startsWith("kivaloo-cli on ");
            return List.of(pieces).subList(1, pieces.length);
        }

        List<String> errorLines() {
            return CliRun.nonBlankLines(stderr);
        }

        @Override
        public String toString() {
            return "exit " + status + "\n--- terminal\n" + results + "--- stderr\n" + stderr;
        }
    }
}
