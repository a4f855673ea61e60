package io.kivaloo.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Servers that do not answer properly: each run ends with exit 3 and one
 * line on stderr, never a hang or a stack trace. The servers are plain Unix
 * sockets in a temporary directory.
 */
class ServerFailureTest {

    private static final long DEADLINE_SECONDS = 60;

    @TempDir
    Path directory;

    @Test
    void aServerThatNeverAnswersIsATimeout() throws Exception {
        Path socket = directory.resolve("silent.sock");
        // Listening but never accepting: the kernel completes the connection, nobody reads the request.
        try (ServerSocketChannel server = listen(socket)) {
            CliRun run = runWithDeadline("-t", socket.toString(), "--timeout", "500ms", "get", "k");
            assertThat(run.status()).as(run.toString()).isEqualTo(ExitStatus.FAILURE);
            assertThat(run.errorLines()).containsExactly(
                    "kivaloo-cli: no answer to GET from " + socket + " within 500ms");
        }
    }

    @Test
    void aLoadToAServerThatNeverAnswersIsATimeout() throws Exception {
        Path socket = directory.resolve("silent-load.sock");
        try (ServerSocketChannel server = listen(socket)) {
            CliRun run = CliRun.run(Map.of(), directory, "k\tv\n", "-t", socket.toString(), "--timeout", "500ms", "load");
            assertThat(run.status()).as(run.toString()).isEqualTo(ExitStatus.FAILURE);
            assertThat(run.errorLines()).containsExactly(
                    "kivaloo-cli: no answer to PARAMS from " + socket + " within 500ms");
        }
    }

    @Test
    void anAnswerThatIsNotAPacketIsAFailedConnection() throws Exception {
        Path socket = directory.resolve("garbage.sock");
        try (ServerSocketChannel server = listen(socket)) {
            CompletableFuture<Void> garbage = CompletableFuture.runAsync(() -> answerGarbage(server));
            CliRun run = runWithDeadline("-t", socket.toString(), "get", "k");
            assertThat(run.status()).as(run.toString()).isEqualTo(ExitStatus.FAILURE);
            assertThat(run.errorLines()).as(run.toString()).hasSize(1);
            assertThat(run.errorLines().get(0)).startsWith("kivaloo-cli: GET to " + socket + " failed: ");
            garbage.get(DEADLINE_SECONDS, TimeUnit.SECONDS);
        }
    }

    private CliRun runWithDeadline(String... args) throws Exception {
        return CompletableFuture.supplyAsync(() -> CliRun.run(Map.of(), directory, "", args))
                .get(DEADLINE_SECONDS, TimeUnit.SECONDS);
    }

    private static ServerSocketChannel listen(Path socket) throws IOException {
        ServerSocketChannel server = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
        server.bind(UnixDomainSocketAddress.of(socket));
        return server;
    }

    /** Accepts one connection, reads the request, answers with bytes whose header CRC cannot match. */
    private static void answerGarbage(ServerSocketChannel server) {
        try (SocketChannel client = server.accept()) {
            client.read(ByteBuffer.allocate(1024));
            byte[] junk = new byte[64];
            Arrays.fill(junk, (byte) 0xa5);
            client.write(ByteBuffer.wrap(junk));
            // Wait for the CLI to close its end, so the junk is read before this side closes.
            ByteBuffer drain = ByteBuffer.allocate(64);
            while (client.read(drain) >= 0) {
                drain.clear();
            }
        } catch (IOException e) {
            throw new IllegalStateException("garbage server failed", e);
        }
    }
}
