package io.kivaloo.cli;

import org.jline.reader.Candidate;
import org.jline.reader.LineReader;
import org.jline.reader.LineReaderBuilder;
import org.jline.reader.ParsedLine;
import org.jline.reader.impl.DefaultParser;
import org.jline.reader.impl.completer.AggregateCompleter;
import org.jline.terminal.Terminal;
import org.jline.terminal.TerminalBuilder;
import picocli.CommandLine.Model.CommandSpec;
import picocli.shell.jline3.PicocliJLineCompleter;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;

/**
 * The JLine side of the prompt: the terminal, how a typed line splits into
 * words, completion from the picocli model, and the history file.
 *
 * <p>Words split as in a shell, on blanks, with '...' and "..." quoting,
 * but a backslash is an ordinary character: it starts the utf8 encoding's
 * {@code \xNN} escapes, which must reach the command unchanged. History
 * expansion ({@code !!}, {@code !n}) is off for the same reason: {@code !}
 * may be part of a key or value. A line starting with a space is not kept
 * in the history (JLine's default, as bash's ignorespace), for values that
 * should not land in a file.
 */
final class PromptReader {

    /** The history file, if set; set but empty: no history file. */
    static final String HISTORY_VARIABLE = "KIVALOO_CLI_HISTORY";
    /** The history file in $HOME otherwise. */
    static final String HISTORY_FILE_NAME = ".kivaloo_cli_history";
    /** Words the prompt itself takes, not commands of the picocli model. */
    static final List<String> LEAVE_WORDS = List.of("quit", "exit");

    private PromptReader() {
    }

    /**
     * The terminal on stdin and stdout. JLine's JNI provider, else its exec
     * one (stty); not the FFM one, which needs Java 22. Text is UTF-8, as the
     * launcher makes the locale and as every result is written.
     */
    static Terminal systemTerminal() throws IOException {
        return TerminalBuilder.builder()
                .name(KivalooCli.NAME)
                .system(true)
                .providers("jni,exec")
                .encoding(StandardCharsets.UTF_8)
                .build();
    }

    /** $KIVALOO_CLI_HISTORY, else ~/.kivaloo_cli_history; null for none (the variable empty, or no $HOME). */
    static Path historyFile(Map<String, String> environment) {
        String chosen = environment.get(HISTORY_VARIABLE);
        if (chosen != null) {
            return chosen.isEmpty() ? null : Path.of(chosen);
        }
        String home = environment.get("HOME");
        return home == null || home.isEmpty() ? null : Path.of(home, HISTORY_FILE_NAME);
    }

    /**
     * A reader on {@code terminal} completing the commands and options of
     * {@code commands}, keeping its history in {@code historyFile} (null: in
     * memory only). A history file that cannot be created is reported on
     * {@code err} and the prompt runs without one.
     */
    static LineReader create(Terminal terminal, CommandSpec commands, Path historyFile, PrintWriter err) {
        DefaultParser parser = new DefaultParser();
        parser.setEscapeChars(new char[0]);
        LineReaderBuilder builder = LineReaderBuilder.builder()
                .terminal(terminal)
                .appName(KivalooCli.NAME)
                .parser(parser)
                .completer(new AggregateCompleter(new PicocliJLineCompleter(commands), PromptReader::completeLeaveWords))
                .option(LineReader.Option.DISABLE_EVENT_EXPANSION, true);
        if (historyFile != null && createPrivately(historyFile, err)) {
            builder.variable(LineReader.HISTORY_FILE, historyFile);
        }
        return builder.build();
    }

    /** quit and exit, as the first word of a line. */
    private static void completeLeaveWords(LineReader reader, ParsedLine line, List<Candidate> candidates) {
        if (line.wordIndex() == 0) {
            for (String word : LEAVE_WORDS) {
                candidates.add(new Candidate(word));
            }
        }
    }

    /**
     * Creates the history file readable by its owner only, if it is not
     * there yet: what is typed at the prompt includes values, which may be
     * secrets. An existing file is used as it is.
     */
    private static boolean createPrivately(Path historyFile, PrintWriter err) {
        try {
            Files.createFile(historyFile, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            return true;
        } catch (FileAlreadyExistsException e) {
            return true;
        } catch (IOException | UnsupportedOperationException e) {
            err.println(KivalooCli.NAME + ": history file " + historyFile + ": cannot create it (" + e
                    + "); history is kept for this session only");
            err.flush();
            return false;
        }
    }
}
