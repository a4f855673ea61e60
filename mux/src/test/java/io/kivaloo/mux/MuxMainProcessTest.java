package io.kivaloo.mux;

import io.kivaloo.proto.net.KivalooAddress;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code MuxMain} as its own JVM, the way bin/kivaloo-mux runs it. */
class MuxMainProcessTest {

    @TempDir
    Path dir;

    private Process start(Path ready, String... args) throws IOException {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.add("-cp");
        command.add(System.getProperty("surefire.test.class.path", System.getProperty("java.class.path")));
        if (ready != null) {
            command.add("-Dkivaloo.ready=" + ready);
        }
        command.add(MuxMain.class.getName());
        command.addAll(List.of(args));
        return new ProcessBuilder(command).redirectOutput(dir.resolve("stdout").toFile())
                .redirectError(dir.resolve("stderr").toFile()).start();
    }

    private String stderr() throws IOException {
        return Files.readString(dir.resolve("stderr"), StandardCharsets.UTF_8);
    }

    private static int exitCode(Process p) throws InterruptedException {
        if (!p.waitFor(60, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError("mux did not exit within 60 s");
        }
        return p.exitValue();
    }

    /** Waits for the daemon's "ready" line on the FIFO, or for it to exit first. */
    private static void awaitReady(Path fifo, Process p) throws Exception {
        CompletableFuture<String> line = CompletableFuture.supplyAsync(() -> {
            try (BufferedReader r = new BufferedReader(new InputStreamReader(Files.newInputStream(fifo), StandardCharsets.US_ASCII))) {
                return r.readLine();
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        });
        p.onExit().thenRun(() -> {
            // The daemon died before writing: open and close the FIFO so that the reader sees EOF (null).
            try (OutputStream unblock = Files.newOutputStream(fifo, StandardOpenOption.WRITE)) {
                unblock.flush();
            } catch (IOException e) {
                line.completeExceptionally(e);
            }
        });
        assertThat(line.get(60, TimeUnit.SECONDS)).as("readiness before exit").isEqualTo("ready");
    }

    @Test
    void foregroundMuxServesAndExitsCleanlyOnSigterm() throws Exception {
        Path fifo = dir.resolve("ready.fifo");
        assertThat(new ProcessBuilder("mkfifo", fifo.toString()).start().waitFor()).isZero();
        try (StubbedMux stubbed = new StubbedMux(dir, 1L)) {
            stubbed.stub.answering(StubTarget::echoKey);
            Path sock = dir.resolve("child.sock");
            Path pid = dir.resolve("child.pid");
            Process p = start(fifo, "-t", stubbed.stub.address().text(), "-s", sock.toString(), "--max-connections=5",
                    "-p", pid.toString(), "-F", "--log-level", "info");
            try {
                awaitReady(fifo, p);
                assertThat(Files.readString(pid)).isEqualTo(Long.toString(p.pid()));
                try (TestClient client = TestClient.connect(KivalooAddress.parse(sock.toString()), stubbed.group)) {
                    client.send(-1L, StubbedMux.get("child"));
                    assertThat(client.take().record()).isEqualTo(StubbedMux.echoed("child"));
                }
                p.destroy();
                assertThat(exitCode(p)).as(stderr()).isZero();
                assertThat(pid).doesNotExist();
            } finally {
                p.destroyForcibly();
            }
        }
    }

    @Test
    void absentTargetIsAStartUpFailure() throws Exception {
        Process p = start(null, "-t", dir.resolve("nobody").toString(), "-s", dir.resolve("s").toString(), "-F");
        assertThat(exitCode(p)).isEqualTo(1);
        assertThat(stderr()).startsWith("mux: cannot connect to target " + dir.resolve("nobody"));
    }

    @Test
    void unknownOptionIsAUsageError() throws Exception {
        Process p = start(null, "--badarg");
        assertThat(exitCode(p)).isEqualTo(2);
        assertThat(stderr().lines().findFirst()).hasValue("mux: illegal option -- --badarg");
    }

    @Test
    void optionsParseAsTheOriginalsDo() {
        MuxMain main = new MuxMain();
        new picocli.CommandLine(main).parseArgs("-t", "/tmp/t", "-s", "/tmp/a", "-s", "localhost:1234", "-n", "0x10", "--forward-any");
        MuxConfig config = main.config();
        assertThat(config.sources()).extracting(KivalooAddress::text).containsExactly("/tmp/a", "localhost:1234");
        assertThat(config.maxConnections()).isEqualTo(16);
        assertThat(config.forwardAny()).isTrue();
        assertThat(config.maxInFlight()).isEqualTo(MuxConfig.DEFAULT_MAX_IN_FLIGHT);
    }

    @Test
    void answerByteBoundsHaveLongOptionsAndDefaults() {
        MuxMain main = new MuxMain();
        new picocli.CommandLine(main).parseArgs("-t", "/tmp/t", "-s", "/tmp/a", "-n", "0",
                "--max-client-bytes", "0x100000", "--max-total-bytes", "64000000");
        MuxConfig config = main.config();
        assertThat(config.maxClientBytes()).isEqualTo(1L << 20);
        assertThat(config.maxTotalBytes()).isEqualTo(64_000_000L);

        MuxMain defaults = new MuxMain();
        new picocli.CommandLine(defaults).parseArgs("-t", "/tmp/t", "-s", "/tmp/a");
        assertThat(defaults.config().maxClientBytes()).isEqualTo(MuxConfig.DEFAULT_MAX_CLIENT_BYTES);
        assertThat(defaults.config().maxTotalBytes()).isEqualTo(MuxConfig.DEFAULT_MAX_TOTAL_BYTES);
    }

    @Test
    void answerByteBoundsOutOfRangeAreUsageErrors() {
        MuxMain zero = new MuxMain();
        new picocli.CommandLine(zero).parseArgs("-t", "/tmp/t", "-s", "/tmp/a", "--max-client-bytes", "0");
        org.assertj.core.api.Assertions.assertThatThrownBy(zero::config)
                .isInstanceOf(picocli.CommandLine.ParameterException.class)
                .hasMessage("--max-client-bytes: 0 (expected: >= 1)");

        MuxMain below = new MuxMain();
        new picocli.CommandLine(below).parseArgs("-t", "/tmp/t", "-s", "/tmp/a",
                "--max-client-bytes", "2048", "--max-total-bytes", "1024");
        org.assertj.core.api.Assertions.assertThatThrownBy(below::config)
                .isInstanceOf(picocli.CommandLine.ParameterException.class)
                .hasMessage("--max-total-bytes: 1024 (expected: >= --max-client-bytes, 2048)");
    }

    @Test
    void connectionLimitAbove65535IsRejected() {
        MuxMain main = new MuxMain();
        new picocli.CommandLine(main).parseArgs("-t", "/tmp/t", "-s", "/tmp/a", "-n", "65536");
        org.assertj.core.api.Assertions.assertThatThrownBy(main::config)
                .isInstanceOf(picocli.CommandLine.ParameterException.class).hasMessageContaining("0..65535");
    }
}
