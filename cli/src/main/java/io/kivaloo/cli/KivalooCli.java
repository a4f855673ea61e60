package io.kivaloo.cli;

import io.kivaloo.proto.daemon.AddressConverter;
import io.kivaloo.proto.daemon.VersionProvider;
import io.kivaloo.proto.kvlds.Key;
import io.kivaloo.proto.net.KivalooAddress;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ScopeType;
import picocli.CommandLine.Spec;

import java.io.BufferedOutputStream;
import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.Callable;

/**
 * {@code kivaloo-cli [-t <address>] [--timeout <duration>] [--encoding utf8|hex|base64] <command> ...}:
 * reads and writes keys of a kvlds or mux from the shell (cli/DESIGN.md).
 * This class holds the options every command shares and what the commands
 * need from them: the address, a {@link Session}, arguments decoded in the
 * chosen {@link Encoding}, stdout.
 */
@Command(name = KivalooCli.NAME, mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
        sortOptions = false, synopsisSubcommandLabel = "<command>",
        description = {"Read and write the keys of a kivaloo store (a kvlds, or a mux in front of one).",
                "Keys and values are byte strings of up to 255 bytes, written in arguments and output as "
                        + "--encoding says; in utf8, bytes that are not printable UTF-8 are \\xNN.",
                "With no command on a terminal: a prompt taking the commands one per line on one connection, "
                        + "with history ($KIVALOO_CLI_HISTORY, else ~/.kivaloo_cli_history) and Tab completion; "
                        + "quit, exit or Ctrl-D to leave."},
        subcommands = {GetCommand.class, SetCommand.class, AddCommand.class, ModifyCommand.class, CasCommand.class,
                DeleteCommand.class, CadCommand.class, RangeCommand.class, LoadCommand.class, ParamsCommand.class,
                PingCommand.class, CommandLine.HelpCommand.class})
public final class KivalooCli implements Callable<Integer> {

    static final String NAME = "kivaloo-cli";
    /** Where {@code -t} points when neither it nor the variable is given. */
    static final String ADDRESS_VARIABLE = "KIVALOO_ADDRESS";
    /** What {@code bin/kivaloo-start} creates, relative to the working directory. */
    static final String DEFAULT_SOCKET = "kivaloo-data/kivaloo.sock";
    /** Set by bin/kivaloo-tool to whether stdin and stdout are both a terminal. */
    static final String TERMINAL_PROPERTY = "kivaloo.stdinAndStdoutAreTerminal";

    @Option(names = {"-t", "--target"}, paramLabel = "<address>", converter = AddressConverter.class,
            scope = ScopeType.INHERIT,
            description = {"kvlds or mux to talk to: /unix/path, host:port or [ip]:port.",
                    "Default: $" + ADDRESS_VARIABLE + ", else " + DEFAULT_SOCKET
                            + " in the working directory (what kivaloo-start makes)."})
    KivalooAddress target;

    @Option(names = "--timeout", paramLabel = "<duration>", defaultValue = "10s", converter = DurationConverter.class,
            scope = ScopeType.INHERIT,
            description = "How long to wait for the connection and for each answer: 500ms, 10s, 1m. "
                    + "Default: ${DEFAULT-VALUE}. On expiry: exit 3.")
    Duration timeout;

    @Option(names = "--encoding", paramLabel = "<encoding>", defaultValue = "utf8", converter = EncodingConverter.class,
            completionCandidates = EncodingConverter.Names.class, scope = ScopeType.INHERIT,
            description = "How KEY and VALUE arguments and the output are written: ${COMPLETION-CANDIDATES}. "
                    + "Default: ${DEFAULT-VALUE}.")
    Encoding encoding;

    @Spec
    CommandSpec spec;

    private final PrintStream out;
    /** What {@code load} reads; null in the prompt, whose stdin is the terminal it reads lines from. */
    private final InputStream in;
    private final Map<String, String> environment;
    private final Path workingDirectory;
    private final SessionSource sessions;
    /** What runs when no command is given; null where there is no terminal for a prompt (a usage error then). */
    private final Prompt.Opener prompt;

    /**
     * A one-shot run: each command connects and closes, no prompt.
     *
     * @param out              where results go (UTF-8)
     * @param in               what {@code load} reads
     * @param environment      where {@value #ADDRESS_VARIABLE} is looked up
     * @param workingDirectory what the default socket path is relative to
     */
    KivalooCli(PrintStream out, InputStream in, Map<String, String> environment, Path workingDirectory) {
        this(out, in, environment, workingDirectory, SessionSource.NEW_CONNECTION, null);
    }

    /**
     * @param sessions where commands get their connection
     * @param prompt   what to open when no command is given, or null for a usage error
     */
    KivalooCli(PrintStream out, InputStream in, Map<String, String> environment, Path workingDirectory,
               SessionSource sessions, Prompt.Opener prompt) {
        this.out = out;
        this.in = in;
        this.environment = environment;
        this.workingDirectory = workingDirectory;
        this.sessions = sessions;
        this.prompt = prompt;
    }

    public static void main(String[] args) {
        PrintStream out = new PrintStream(new BufferedOutputStream(new FileOutputStream(FileDescriptor.out), 1 << 16),
                false, StandardCharsets.UTF_8);
        // The prompt needs a terminal to read from and write to; the launcher tells (Java 17 cannot for stdin alone).
        Prompt.Opener prompt = Boolean.getBoolean(TERMINAL_PROPERTY) ? Prompt::openOnSystemTerminal : null;
        KivalooCli cli = new KivalooCli(out, System.in, System.getenv(), Path.of("").toAbsolutePath(),
                SessionSource.NEW_CONNECTION, prompt);
        int status = CliCommandLine.create(cli).execute(args);
        out.flush();
        System.exit(status);
    }

    /**
     * With no command: the interactive prompt when stdin and stdout are a
     * terminal, else a usage error naming the commands (a script that forgot
     * its command fails instead of waiting for input).
     */
    @Override
    public Integer call() throws CliFailure {
        if (prompt != null) {
            return prompt.open(this);
        }
        throw new CommandLine.ParameterException(spec.commandLine(),
                "missing command: one of " + String.join(", ", spec.subcommands().keySet()));
    }

    /**
     * The options for one line typed at the prompt: the same environment and
     * working directory, results to {@code out}, connections from the prompt's
     * {@code sessions}, no stdin and no nested prompt.
     */
    KivalooCli forPromptLine(PrintStream out, SessionSource sessions) {
        return new KivalooCli(out, null, environment, workingDirectory, sessions, null);
    }

    Map<String, String> environment() {
        return environment;
    }

    Duration timeout() {
        return timeout;
    }

    /** The address to connect to: -t, else $KIVALOO_ADDRESS, else ./kivaloo-data/kivaloo.sock. */
    KivalooAddress address() throws BadInputException {
        if (target != null) {
            return target;
        }
        String variable = environment.get(ADDRESS_VARIABLE);
        if (variable != null && !variable.isEmpty()) {
            try {
                return KivalooAddress.parse(variable);
            } catch (IllegalArgumentException e) {
                throw new BadInputException("$" + ADDRESS_VARIABLE + ": " + e.getMessage());
            }
        }
        // Addresses are absolute paths (wire.md §5); the default is relative to where the user is.
        String socket = workingDirectory.resolve(DEFAULT_SOCKET).toString();
        try {
            return KivalooAddress.parse(socket);
        } catch (IllegalArgumentException e) {
            throw new BadInputException("default address ./" + DEFAULT_SOCKET + ": " + e.getMessage() + "; use -t");
        }
    }

    Session connect() throws CliFailure {
        return sessions.session(address(), timeout);
    }

    Encoding encoding() {
        return encoding;
    }

    /** Argument {@code text} (named {@code label} in messages) decoded as a key of at most 255 bytes. */
    Key key(String label, String text) throws BadInputException {
        return Limits.WIRE.key(label, decode(label, text));
    }

    /** Argument {@code text} decoded as a value of at most 255 bytes. */
    Key value(String label, String text) throws BadInputException {
        return Limits.WIRE.value(label, decode(label, text));
    }

    private byte[] decode(String label, String text) throws BadInputException {
        try {
            return encoding.decode(text);
        } catch (BadInputException e) {
            throw new BadInputException(label + ": " + e.getMessage());
        }
    }

    /** {@code bytes} in the chosen encoding, for output. */
    String encode(Key bytes) {
        return encoding.encode(bytes.unsafeBytes());
    }

    PrintStream out() {
        return out;
    }

    /** stdin, for {@code load}; at the prompt it is the terminal the prompt reads, so load is refused there. */
    InputStream in() throws BadInputException {
        if (in == null) {
            throw new BadInputException("load reads stdin, which is the prompt's terminal here: "
                    + "run 'kivaloo-cli load < FILE' from the shell");
        }
        return in;
    }

    /** Pushes buffered output out; fails if stdout could not be written (a closed pipe, a full disk). */
    void flush() throws StreamFailureException {
        out.flush();
        if (out.checkError()) {
            throw new StreamFailureException("cannot write to stdout");
        }
    }
}
