package io.kivaloo.proto.daemon;

import io.kivaloo.proto.metrics.DaemonMetrics;
import io.kivaloo.proto.metrics.MetricsServer;
import io.kivaloo.proto.net.KivalooAddress;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import sun.misc.Signal;
import sun.misc.SignalHandler;

import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;

/**
 * Runs a daemon from start-up to exit, the same way for every daemon
 * (wire.md §6):
 * <ol>
 *   <li>set up logging;</li>
 *   <li>start the service, which binds its socket, opens its storage and
 *       connects upstream; any failure is one line on stderr and status 1;</li>
 *   <li>with {@code --metrics-listen}, serve {@code /metrics} and
 *       {@code /health} (a {@link MetricsServer} on its own thread);</li>
 *   <li>write the pid file (the JVM's own pid, no newline);</li>
 *   <li>tell the launcher it is ready (a line on the FIFO named by the
 *       system property {@code kivaloo.ready}), so that the launcher returns
 *       only once the daemon accepts connections;</li>
 *   <li>wait for SIGTERM/SIGINT or for the service to end by itself, then
 *       close it and remove the pid file.</li>
 * </ol>
 * Only {@code main} exits the JVM, with the status returned here.
 */
public final class Daemon {

    /** System property naming the FIFO on which the launcher waits for readiness. */
    public static final String READY_PROPERTY = "kivaloo.ready";

    private static final Logger log = LoggerFactory.getLogger(Daemon.class);

    private Daemon() {
    }

    /**
     * @param name     the short program name prefixed to messages ({@code lbs}, {@code kvlds}, ...)
     * @param pidStem  default pid file stem: the listening address as written
     * @return the exit status
     */
    public static int run(String name, DaemonOptions options, String pidStem, DaemonService.Starter starter) {
        return run(name, options, pidStem, new DaemonMetrics(name), starter);
    }

    /**
     * As {@link #run(String, DaemonOptions, String, DaemonService.Starter)},
     * serving {@code metrics} (which the service's own metrics class
     * registered its series in) when {@code --metrics-listen} is given.
     */
    public static int run(String name, DaemonOptions options, String pidStem, DaemonMetrics metrics,
            DaemonService.Starter starter) {
        PrintStream err = System.err;
        LogSetup logging;
        try {
            logging = LogSetup.configure(name, options.logLevel(), options.logFile(), options.logFormat());
        } catch (StartupException e) {
            err.println(name + ": " + e.getMessage());
            return 1;
        }
        CompletableFuture<String> stop = new CompletableFuture<>();
        installSignalHandlers(stop);
        installReopenHandler(logging);

        DaemonService service;
        try {
            service = starter.start();
        } catch (StartupException e) {
            log.debug("start-up failed", e);
            err.println(name + ": " + e.getMessage());
            return 1;
        } catch (RuntimeException e) {
            log.error("start-up failed", e);
            err.println(name + ": start-up failed: " + e);
            return 1;
        }

        MetricsServer metricsServer = null;
        if (options.metricsListen() != null) {
            try {
                metricsServer = startMetrics(options.metricsListen(), metrics, service);
            } catch (IOException e) {
                err.println(name + ": cannot serve metrics on " + options.metricsListen() + ": " + e.getMessage());
                service.close();
                return 1;
            }
        }

        Path pidFile = options.pidFile(pidStem);
        try {
            writePidFile(pidFile);
        } catch (IOException e) {
            err.println(name + ": cannot write pid file " + pidFile + ": " + e.getMessage());
            closeMetrics(metricsServer);
            service.close();
            return 1;
        }
        try {
            signalReady();
        } catch (IOException e) {
            err.println(name + ": cannot signal readiness: " + e.getMessage());
            closeMetrics(metricsServer);
            service.close();
            deletePidFile(pidFile);
            return 1;
        }
        log.info("ready pid={} pidfile={}", ProcessHandle.current().pid(), pidFile);

        service.done().whenComplete((v, e) -> stop.complete(e == null ? "service finished" : "fatal error"));
        String reason = stop.join();
        log.info("stopping reason={}", reason);
        // Metrics stop first: a scrape during the stop would report a half-closed daemon.
        closeMetrics(metricsServer);
        service.close();
        deletePidFile(pidFile);
        try {
            if (service.done().isDone()) {
                service.done().get();
            }
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            err.println(name + ": " + cause.getMessage());
            return 1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        log.info("stopped");
        return 0;
    }

    private static MetricsServer startMetrics(KivalooAddress.Tcp address, DaemonMetrics metrics, DaemonService service)
            throws IOException {
        // The first address the name resolves to: one HTTP listener is enough for a scraper.
        InetSocketAddress bind = address.resolve().get(0);
        metrics.includeJvm();
        return MetricsServer.start(bind, metrics.registry(), service::health);
    }

    private static void closeMetrics(MetricsServer metricsServer) {
        if (metricsServer != null) {
            metricsServer.close();
        }
    }

    private static void installSignalHandlers(CompletableFuture<String> stop) {
        for (String signal : new String[] {"TERM", "INT"}) {
            try {
                // Background jobs of a script start with SIGINT ignored; that is their shell's choice, and stderr
                // carries only the one-line start-up error, so nothing is said of it.
                Signal.handle(new Signal(signal), s -> stop.complete("SIG" + s.getName()));
            } catch (IllegalArgumentException unsupported) {
                // This platform does not let us catch it: the JVM's default handling (exit) remains.
                log.debug("cannot handle signal {}: {}", signal, unsupported.getMessage());
            }
        }
    }

    /** SIGHUP reopens the log file (logrotate's "move, then HUP"). */
    private static void installReopenHandler(LogSetup logging) {
        try {
            SignalHandler previous = Signal.handle(new Signal("HUP"), s -> {
                try {
                    logging.reopen();
                    log.info("log file reopened");
                } catch (IOException e) {
                    // Keep running: losing the log is no reason to stop serving; stderr still works.
                    System.err.println("cannot reopen log file: " + e.getMessage());
                }
            });
            if (logging.writesFile()) {
                // Only then does it matter; a warning on stderr would break the one-line error of a failed start.
                warnIfIgnored("HUP", previous, "the log file is not reopened on it (bin/kivaloo-daemon resets it where coreutils env can)");
            }
        } catch (IllegalArgumentException unsupported) {
            log.debug("cannot handle signal HUP: {}", unsupported.getMessage());
        }
    }

    /**
     * A signal ignored when the JVM started (SIGHUP under nohup) keeps being
     * ignored: the JVM installs no handler and says nothing, so we do.
     */
    private static void warnIfIgnored(String signal, SignalHandler previous, String consequence) {
        if (previous == SignalHandler.SIG_IGN) {
            log.warn("SIG{} was ignored when this process started (nohup?): {}", signal, consequence);
        }
    }

    private static void writePidFile(Path pidFile) throws IOException {
        byte[] pid = Long.toString(ProcessHandle.current().pid()).getBytes(StandardCharsets.US_ASCII);
        Files.write(pidFile, pid, StandardOpenOption.CREATE, StandardOpenOption.TRUNCATE_EXISTING, StandardOpenOption.WRITE);
    }

    private static void deletePidFile(Path pidFile) {
        try {
            Files.deleteIfExists(pidFile);
        } catch (IOException e) {
            log.warn("cannot remove pid file path={} reason={}", pidFile, e.getMessage());
        }
    }

    private static void signalReady() throws IOException {
        String fifo = System.getProperty(READY_PROPERTY);
        if (fifo == null || fifo.isEmpty()) {
            return;
        }
        try (OutputStream out = Files.newOutputStream(Path.of(fifo), StandardOpenOption.WRITE)) {
            out.write("ready\n".getBytes(StandardCharsets.US_ASCII));
        }
    }
}
