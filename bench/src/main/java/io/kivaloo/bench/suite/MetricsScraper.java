package io.kivaloo.bench.suite;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Reads every daemon's {@code /metrics} once a second while a workload runs,
 * as a Prometheus with a tight scrape interval would (most scrape every 15 s
 * or more): "metrics on" in the suite then costs what serving them costs,
 * not only what keeping the counters costs. A failed scrape is counted and
 * reported; it does not stop the workload.
 */
final class MetricsScraper implements AutoCloseable {

    private static final Duration INTERVAL = Duration.ofSeconds(1);
    private static final Duration TIMEOUT = Duration.ofSeconds(5);

    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread thread = new Thread(r, "metrics-scraper");
        thread.setDaemon(true);
        return thread;
    });
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(TIMEOUT).build();
    private final List<URI> targets;
    private long scrapes;
    private long bytes;
    private long failures;
    private String lastFailure;

    private MetricsScraper(List<Integer> ports) {
        this.targets = ports.stream().map(port -> URI.create("http://127.0.0.1:" + port + "/metrics")).toList();
    }

    static MetricsScraper start(List<Integer> ports) {
        MetricsScraper scraper = new MetricsScraper(ports);
        scraper.timer.scheduleWithFixedDelay(scraper::scrapeAll, INTERVAL.toMillis(), INTERVAL.toMillis(), TimeUnit.MILLISECONDS);
        return scraper;
    }

    /** On the timer thread only. */
    private void scrapeAll() {
        for (URI target : targets) {
            try {
                HttpResponse<byte[]> response = http.send(HttpRequest.newBuilder(target).timeout(TIMEOUT).build(),
                        HttpResponse.BodyHandlers.ofByteArray());
                if (response.statusCode() != 200) {
                    failed(target + ": HTTP " + response.statusCode());
                    continue;
                }
                synchronized (this) {
                    scrapes++;
                    bytes += response.body().length;
                }
            } catch (IOException e) {
                failed(target + ": " + e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    private synchronized void failed(String why) {
        failures++;
        lastFailure = why;
    }

    /** Stops scraping and says how it went, for the suite's progress lines. */
    String stop() {
        timer.shutdownNow();
        try {
            timer.awaitTermination(TIMEOUT.toSeconds() * 2, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        synchronized (this) {
            return "metrics scraped " + scrapes + " times (" + (scrapes == 0 ? 0 : bytes / scrapes) + " bytes each), "
                    + failures + " failed" + (lastFailure == null ? "" : ", last: " + lastFailure);
        }
    }

    @Override
    public void close() {
        stop();
    }
}
