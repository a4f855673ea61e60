package io.kivaloo.proto.daemon;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.encoder.JsonEncoder;
import ch.qos.logback.classic.encoder.PatternLayoutEncoder;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.Appender;
import ch.qos.logback.core.ConsoleAppender;
import ch.qos.logback.core.FileAppender;
import ch.qos.logback.core.encoder.Encoder;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.file.Path;

/**
 * Points logback at standard error or a log file, one line per event:
 * {@code 2026-11-24T23:59:59.123Z WARN lbs connection closed reason=...},
 * or one JSON object per line with {@code --log-format json}. Quiet by
 * default (WARN); lifecycle lines are INFO.
 *
 * <p>Two things it leaves alone, on purpose:
 * <ul>
 *   <li>A user's own {@code -Dlogback.configurationFile} wins: logback has
 *       already configured itself from it, so we change nothing (not even
 *       the level; that file says what the user wants).</li>
 *   <li>Rotation is the operator's tool's job (logrotate moves the file,
 *       then sends SIGHUP): {@link #reopen()} opens {@code --log-file} again
 *       under its name, so later lines go to the new file. A user who wants
 *       logback to rotate by itself uses a {@code RollingFileAppender} in
 *       their own configuration file.</li>
 * </ul>
 */
public final class LogSetup {

    /** The system property logback reads its configuration file from. */
    public static final String CONFIGURATION_FILE_PROPERTY = "logback.configurationFile";

    private static final String PATTERN = "%d{yyyy-MM-dd'T'HH:mm:ss.SSSX,UTC} %-5level %logger{0} [%thread] %msg%n%ex";

    /** The file appender to reopen, or null (stderr, a user's configuration, another backend). */
    private final FileAppender<ILoggingEvent> file;

    private LogSetup(FileAppender<ILoggingEvent> file) {
        this.file = file;
    }

    /**
     * @param format {@code text} or {@code json}
     * @throws StartupException for an unknown level or format, or a log file that cannot be opened
     */
    public static LogSetup configure(String name, String level, Path logFile, String format) throws StartupException {
        Level parsed = Level.toLevel(level, null);
        if (parsed == null) {
            throw new StartupException("unknown log level '" + level + "' (expected: error, warn, info, debug, trace)");
        }
        if (!"text".equals(format) && !"json".equals(format)) {
            throw new StartupException("unknown log format '" + format + "' (expected: text, json)");
        }
        if (!(LoggerFactory.getILoggerFactory() instanceof LoggerContext)) {
            return new LogSetup(null); // another slf4j backend is in charge (e.g. a daemon embedded in a test)
        }
        String userConfiguration = System.getProperty(CONFIGURATION_FILE_PROPERTY);
        if (userConfiguration != null && !userConfiguration.isEmpty()) {
            LoggerFactory.getLogger(LogSetup.class).info("logging configured by file={}", userConfiguration);
            return new LogSetup(null);
        }
        LoggerContext context = (LoggerContext) LoggerFactory.getILoggerFactory();
        context.reset();
        Encoder<ILoggingEvent> encoder = "json".equals(format) ? jsonEncoder(context) : textEncoder(context, name);
        Appender<ILoggingEvent> appender;
        FileAppender<ILoggingEvent> file = null;
        if (logFile == null) {
            ConsoleAppender<ILoggingEvent> console = new ConsoleAppender<>();
            console.setTarget("System.err");
            console.setEncoder(encoder);
            appender = console;
        } else {
            file = new FileAppender<>();
            file.setFile(logFile.toString());
            file.setAppend(true);
            file.setEncoder(encoder);
            appender = file;
        }
        appender.setContext(context);
        appender.setName(logFile == null ? "stderr" : "file");
        appender.start();
        if (!appender.isStarted()) {
            throw new StartupException("cannot open log file " + logFile);
        }
        ch.qos.logback.classic.Logger root = context.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
        root.addAppender(appender);
        root.setLevel(parsed);
        // Netty logs expected client misbehaviour at WARN with stack traces; our handlers report it in one line.
        context.getLogger("io.netty").setLevel(parsed.isGreaterOrEqual(Level.WARN) ? Level.ERROR : parsed);
        return new LogSetup(file);
    }

    /**
     * Opens the log file again by name (after logrotate moved it away); the
     * old stream is closed under the appender's own lock, so no line is lost
     * or split. Nothing to do when logging to stderr or by a user's file.
     */
    /** Whether the log goes to a file of ours ({@code --log-file}), which SIGHUP reopens. */
    public boolean writesFile() {
        return file != null;
    }

    public void reopen() throws IOException {
        if (file != null) {
            file.openFile(file.getFile());
        }
    }

    private static Encoder<ILoggingEvent> textEncoder(LoggerContext context, String name) {
        PatternLayoutEncoder encoder = new PatternLayoutEncoder();
        encoder.setContext(context);
        encoder.setPattern(PATTERN.replace("%logger{0}", name + " %logger{0}"));
        encoder.start();
        return encoder;
    }

    private static Encoder<ILoggingEvent> jsonEncoder(LoggerContext context) {
        // logback's own JSON lines: timestamp, level, thread, logger, message, throwable; one object per line.
        JsonEncoder encoder = new JsonEncoder();
        encoder.setContext(context);
        encoder.start();
        return encoder;
    }
}
