package io.kivaloo.proto.daemon;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.encoder.PatternLayoutEncoder;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.Appender;
import ch.qos.logback.core.ConsoleAppender;
import ch.qos.logback.core.FileAppender;
import org.slf4j.LoggerFactory;

import java.nio.file.Path;

/**
 * Points logback at standard error or a log file, one line per event:
 * {@code 2026-11-24T23:59:59.123Z WARN lbs connection closed reason=...}.
 * Quiet by default (WARN); lifecycle lines are INFO.
 */
final class LogSetup {

    private static final String PATTERN = "%d{yyyy-MM-dd'T'HH:mm:ss.SSSX,UTC} %-5level %logger{0} [%thread] %msg%n%ex";

    private LogSetup() {
    }

    static void configure(String name, String level, Path logFile) throws StartupException {
        Level parsed = Level.toLevel(level, null);
        if (parsed == null) {
            throw new StartupException("unknown log level '" + level + "' (expected: error, warn, info, debug, trace)");
        }
        if (!(LoggerFactory.getILoggerFactory() instanceof LoggerContext)) {
            return; // another slf4j backend is in charge (e.g. a daemon embedded in a test)
        }
        LoggerContext context = (LoggerContext) LoggerFactory.getILoggerFactory();
        context.reset();
        PatternLayoutEncoder encoder = new PatternLayoutEncoder();
        encoder.setContext(context);
        encoder.setPattern(PATTERN.replace("%logger{0}", name + " %logger{0}"));
        encoder.start();
        Appender<ILoggingEvent> appender;
        if (logFile == null) {
            ConsoleAppender<ILoggingEvent> console = new ConsoleAppender<>();
            console.setTarget("System.err");
            console.setEncoder(encoder);
            appender = console;
        } else {
            FileAppender<ILoggingEvent> file = new FileAppender<>();
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
    }
}
