package io.kivaloo.tools.dump;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** The original's summary line with its two bugs fixed (mux.md §3: no newline, negative time), and the progress line. */
class ProgressTest {

    @Test
    void theSummaryEndsWithANewlineAndCountsForwardInTime() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (Progress progress = new Progress("Dumped", new PrintStream(bytes, true, StandardCharsets.UTF_8), false)) {
            progress.add(3, 4);
            progress.add(0, 255);
            String summary = progress.summaryLine();
            assertThat(summary).matches("Dumped 2 key-value pairs in [0-9]+\\.[0-9]{6} seconds\\.\n");
            double seconds = Double.parseDouble(summary.replaceAll(".* in ([0-9.]+) seconds.*\\s*", "$1"));
            assertThat(seconds).isGreaterThanOrEqualTo(0);
            assertThat(progress.progressLine()).startsWith("Dumped 2 pairs, 0.00 MB, ");
        }
        assertThat(bytes.size()).as("nothing printed without a terminal").isZero();
    }

    @Test
    void onATerminalALineIsRewrittenInPlaceOnceASecondAndClearedAtTheEnd() throws Exception {
        CompletableFuture<String> firstLine = new CompletableFuture<>();
        StringBuilder written = new StringBuilder();
        OutputStream terminal = new OutputStream() {
            @Override
            public synchronized void write(int b) {
                written.append((char) b);
                if (written.indexOf("pairs/s") >= 0) {
                    firstLine.complete(written.toString());
                }
            }
        };
        Progress progress = new Progress("Stored", new PrintStream(terminal, true, StandardCharsets.US_ASCII), true);
        progress.add(10, 20);
        assertThat(firstLine.get(60, TimeUnit.SECONDS)).startsWith("\r\033[KStored 1 pairs, 0.00 MB, ");
        progress.close();
        synchronized (terminal) {
            assertThat(written.toString()).endsWith("\r\033[K");
        }
    }
}
