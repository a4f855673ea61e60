package io.kivaloo.proto.metrics;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.prometheus.metrics.config.EscapingScheme;
import io.prometheus.metrics.expositionformats.PrometheusTextFormatWriter;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Supplier;

/**
 * Serves {@code GET /metrics} (Prometheus text format 0.0.4) and
 * {@code GET /health} (200 {@code serving}, or 503 and a one-line reason) on
 * the address of {@code --metrics-listen}.
 *
 * <p>It runs on the JDK's own HTTP server with one thread of its own, never
 * on a daemon's event loop: a slow or stuck scraper costs that thread only.
 * A scrape reads counters and gauges that the daemon's threads update; it
 * takes no lock the daemon holds.
 */
public final class MetricsServer implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(MetricsServer.class);

    private final HttpServer server;
    private final ExecutorService thread;

    private MetricsServer(HttpServer server, ExecutorService thread) {
        this.server = server;
        this.thread = thread;
    }

    /** Binds {@code address} and starts serving; an unusable address is an {@link IOException}. */
    public static MetricsServer start(InetSocketAddress address, PrometheusRegistry registry, Supplier<Health> health)
            throws IOException {
        HttpServer server = HttpServer.create(address, 16);
        PrometheusTextFormatWriter writer = PrometheusTextFormatWriter.create();
        server.createContext("/metrics", exchange -> answer(exchange, () -> {
            ByteArrayOutputStream body = new ByteArrayOutputStream(16 * 1024);
            writer.write(body, registry.scrape(), EscapingScheme.DEFAULT);
            return new Answer(200, writer.getContentType(), body.toByteArray());
        }));
        server.createContext("/health", exchange -> answer(exchange, () -> {
            Health now = health.get();
            return new Answer(now.serving() ? 200 : 503, "text/plain; charset=utf-8",
                    (now.reason() + "\n").getBytes(StandardCharsets.UTF_8));
        }));
        ExecutorService thread = Executors.newSingleThreadExecutor(runnable -> {
            Thread t = new Thread(runnable, "metrics-http");
            t.setDaemon(true);
            return t;
        });
        server.setExecutor(thread);
        server.start();
        log.info("metrics listening addr={}", server.getAddress());
        return new MetricsServer(server, thread);
    }

    /** The bound address (its port, if 0 was asked for). */
    public InetSocketAddress address() {
        return server.getAddress();
    }

    @Override
    public void close() {
        server.stop(0);
        thread.shutdownNow();
    }

    private record Answer(int status, String contentType, byte[] body) {
    }

    private interface AnswerSource {
        Answer get() throws IOException;
    }

    private static void answer(HttpExchange exchange, AnswerSource source) throws IOException {
        try (exchange) {
            Answer answer;
            if (!"GET".equals(exchange.getRequestMethod()) && !"HEAD".equals(exchange.getRequestMethod())) {
                answer = new Answer(405, "text/plain; charset=utf-8", "GET only\n".getBytes(StandardCharsets.UTF_8));
            } else if (!exchange.getRequestURI().getPath().equals(exchange.getHttpContext().getPath())) {
                answer = new Answer(404, "text/plain; charset=utf-8", "not found\n".getBytes(StandardCharsets.UTF_8));
            } else {
                answer = source.get();
            }
            exchange.getResponseHeaders().set("Content-Type", answer.contentType());
            boolean head = "HEAD".equals(exchange.getRequestMethod());
            exchange.sendResponseHeaders(answer.status(), head ? -1 : answer.body().length);
            if (!head) {
                try (OutputStream out = exchange.getResponseBody()) {
                    out.write(answer.body());
                }
            }
        }
    }
}
