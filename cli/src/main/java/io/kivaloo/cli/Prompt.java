package io.kivaloo.cli;

import io.kivaloo.proto.net.KivalooAddress;
import org.jline.reader.EndOfFileException;
import org.jline.reader.LineReader;
import org.jline.reader.UserInterruptException;
import org.jline.terminal.Terminal;
import picocli.CommandLine;
import picocli.CommandLine.Model.ArgSpec;
import picocli.CommandLine.Model.OptionSpec;

import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;

/**
 * The interactive prompt: {@code kivaloo-cli [-t <address>] [--timeout ..]
 * [--encoding ..]} with no command, on a terminal. Each line is one of the
 * commands, run by the same picocli model as on the shell line, printing
 * what it prints there; the options given when the prompt opened are each
 * line's defaults (a line may override them). All lines share one connection
 * ({@link PromptConnection}). A failure is its usual one line on stderr and
 * the prompt goes on; so does a false condition, said on one line since no
 * exit status shows it here. {@code quit}, {@code exit} or end of input
 * (Ctrl-D) leave with status 0; Ctrl-C abandons the line being typed, or
 * the command running.
 */
final class Prompt {

    static final String PROMPT = "kivaloo> ";

    /** What kivaloo-cli runs when no command is given. */
    @FunctionalInterface
    interface Opener {
        int open(KivalooCli options) throws CliFailure;
    }

    private final LineReader reader;
    private final KivalooCli options;
    private final KivalooAddress address;
    private final PromptConnection connection;
    private final PrintStream out;
    private final PrintWriter outWriter;
    private final PrintWriter err;

    private Prompt(LineReader reader, KivalooCli options, KivalooAddress address, PromptConnection connection,
                   PrintStream out, PrintWriter err) {
        this.reader = reader;
        this.options = options;
        this.address = address;
        this.connection = connection;
        this.out = out;
        this.outWriter = new PrintWriter(new OutputStreamWriter(out, StandardCharsets.UTF_8));
        this.err = err;
    }

    /** The prompt on the process's terminal, history in $KIVALOO_CLI_HISTORY or ~/.kivaloo_cli_history. */
    static int openOnSystemTerminal(KivalooCli options) throws CliFailure {
        Terminal terminal;
        try {
            terminal = PromptReader.systemTerminal();
        } catch (IOException e) {
            throw new StreamFailureException("cannot open the terminal for the prompt: " + e.getMessage(), e);
        }
        try {
            return open(options, terminal, PromptReader.historyFile(options.environment()));
        } finally {
            try {
                terminal.close();
            } catch (IOException e) {
                // The prompt is over and its results are out; a terminal that fails to restore its mode is only told.
                options.spec.commandLine().getErr().println(KivalooCli.NAME + ": closing the terminal: " + e.getMessage());
            }
        }
    }

    /**
     * Runs the prompt on {@code terminal} until quit, exit or end of input.
     * Errors go where the command line's errors go (stderr).
     *
     * @param historyFile where lines are kept across sessions; null: this session only
     */
    static int open(KivalooCli options, Terminal terminal, Path historyFile) throws CliFailure {
        // A bad $KIVALOO_ADDRESS is a usage error before the prompt opens, not a failure on every line.
        KivalooAddress address = options.address();
        PrintWriter err = options.spec.commandLine().getErr();
        PrintStream out = new PrintStream(terminal.output(), false, StandardCharsets.UTF_8);
        try (PromptConnection connection = new PromptConnection(address, err)) {
            CommandLine model = CliCommandLine.create(options.forPromptLine(out, connection));
            LineReader reader = PromptReader.create(terminal, model.getCommandSpec(), historyFile, err);
            return new Prompt(reader, options, address, connection, out, err).run();
        }
    }

    private int run() {
        out.println(KivalooCli.NAME + " on " + address.text() + ": commands as on the command line ('help' lists them); "
                + String.join(" or ", PromptReader.LEAVE_WORDS) + " to leave");
        out.flush();
        connectNow();
        while (true) {
            List<String> words;
            try {
                reader.readLine(PROMPT);
                words = reader.getParsedLine().words();
            } catch (UserInterruptException e) {
                // Ctrl-C while typing: the line is abandoned, as in a shell; nothing failed.
                continue;
            } catch (EndOfFileException e) {
                // Ctrl-D on an empty line, or the end of piped input: the user is done.
                break;
            }
            // An empty or blank line parses as no word or as one empty word.
            if (words.isEmpty() || words.size() == 1 && words.get(0).isBlank()) {
                continue;
            }
            if (words.size() == 1 && PromptReader.LEAVE_WORDS.contains(words.get(0))) {
                break;
            }
            runLine(words);
        }
        saveHistory();
        return ExitStatus.DONE;
    }

    /** Connects before the first line, so that a server that is not there is said at once. */
    private void connectNow() {
        try {
            connection.session(address, options.timeout()).close();
        } catch (ServerFailureException e) {
            err.println(KivalooCli.NAME + ": " + e.getMessage());
            err.flush();
        }
    }

    /** One line through a fresh picocli model, so that nothing parsed for one line stays for the next. */
    private void runLine(List<String> words) {
        CommandLine commandLine = CliCommandLine.create(options.forPromptLine(out, connection));
        commandLine.setOut(outWriter);
        commandLine.setErr(err);
        commandLine.setDefaultValueProvider(this::promptDefault);
        int status = runInterruptibly(commandLine, words);
        outWriter.flush();
        out.flush();
        if (status == ExitStatus.CONDITION_FALSE) {
            err.println(KivalooCli.NAME + ": the condition was false (exit " + status + ")");
        }
        err.flush();
    }

    /**
     * Runs the command with Ctrl-C interrupting this thread instead of
     * ending the process: the command, blocked on an answer or a RANGE, fails
     * with its one line ("interrupted waiting for ..."), its outcome unknown
     * as after a timeout, and the prompt goes on. An interrupt that comes as
     * the command ends is cleared, so it cannot fail the next line.
     */
    private int runInterruptibly(CommandLine commandLine, List<String> words) {
        Terminal terminal = reader.getTerminal();
        Thread runner = Thread.currentThread();
        Terminal.SignalHandler previous = terminal.handle(Terminal.Signal.INT, signal -> runner.interrupt());
        try {
            return commandLine.execute(words.toArray(new String[0]));
        } finally {
            terminal.handle(Terminal.Signal.INT, previous);
            Thread.interrupted();
        }
    }

    /** The shared options as given when the prompt opened: each line's defaults. */
    private String promptDefault(ArgSpec arg) {
        if (!arg.isOption()) {
            return null;
        }
        switch (((OptionSpec) arg).longestName()) {
            case "--target":
                return address.text();
            case "--timeout":
                return DurationConverter.format(options.timeout());
            case "--encoding":
                return options.encoding().label();
            default:
                return null;
        }
    }

    private void saveHistory() {
        try {
            reader.getHistory().save();
        } catch (IOException e) {
            err.println(KivalooCli.NAME + ": history file: cannot save it: " + e.getMessage());
            err.flush();
        }
    }
}
