package io.kivaloo.proto.metrics;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/** One GET of a daemon's metrics or health endpoint, for tests: status and body. */
public record HttpGet(int status, String body) {

    /** Generous: the metrics thread answers in milliseconds, but the test machine is a slow, busy one. */
    private static final Duration TIMEOUT = Duration.ofSeconds(30);

    /** {@code GET http://<hostPort><path>}. */
    public static HttpGet of(String hostPort, String path) throws IOException {
        HttpClient client = HttpClient.newBuilder().connectTimeout(TIMEOUT).build();
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://" + hostPort + path)).timeout(TIMEOUT).GET().build();
        try {
            HttpResponse<String> response = client.send(request, HttpResponse.BodyHandlers.ofString());
            return new HttpGet(response.statusCode(), response.body());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        }
    }

    /** {@code GET /metrics}, which must answer 200 and parse. */
    public static PrometheusText metrics(String hostPort) throws IOException {
        HttpGet get = of(hostPort, "/metrics");
        if (get.status() != 200) {
            throw new IOException("GET /metrics on " + hostPort + ": status " + get.status() + ": " + get.body());
        }
        return PrometheusText.parse(get.body());
    }
}
