package io.kivaloo.proto.daemon;

import io.kivaloo.proto.net.KivalooAddress;
import io.kivaloo.proto.net.Transport;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** {@link Listener} on Unix sockets: stale-socket detection and clean-up (wire.md §5). */
class ListenerTest {

    @TempDir
    Path dir;

    private EventLoopGroup group;

    @AfterEach
    void stop() {
        if (group != null) {
            group.shutdownGracefully(0, 10, TimeUnit.SECONDS).syncUninterruptibly();
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"best", "nio"})
    void listensAndRemovesItsSocketFileOnClose(String transportName) throws Exception {
        Transport transport = "nio".equals(transportName) ? Transport.nio() : Transport.best();
        Path path = dir.resolve("l.sock");
        try (Listener listener = bind(transport, path)) {
            assertThat(listener.address().text()).isEqualTo(path.toString());
            assertThat(listener.channels()).hasSize(1);
            assertThat(accepts(path)).isTrue();
        }
        assertThat(path).doesNotExist();
    }

    @Test
    void staleSocketLeftByADeadServerIsRemovedAndTheBindSucceeds() throws Exception {
        Path path = dir.resolve("stale.sock");
        // The JDK leaves the socket file behind on close, as a daemon killed with -9 does.
        try (ServerSocketChannel dead = ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
            dead.bind(UnixDomainSocketAddress.of(path));
        }
        assertThat(path).exists();
        assertThat(accepts(path)).isFalse();

        try (Listener listener = bind(Transport.best(), path)) {
            assertThat(accepts(path)).isTrue();
        }
    }

    @Test
    void liveSocketIsNotTakenOver() throws Exception {
        Path path = dir.resolve("live.sock");
        try (Listener first = bind(Transport.best(), path)) {
            assertThatThrownBy(() -> bind(Transport.best(), path))
                    .isInstanceOf(StartupException.class)
                    .hasMessageContaining("address already in use");
            assertThat(accepts(path)).as("the first daemon still listens").isTrue();
        }
    }

    @Test
    void aRegularFileAtThePathIsNeitherRemovedNorReplaced() throws IOException {
        Path path = dir.resolve("data");
        Files.writeString(path, "precious");
        assertThatThrownBy(() -> bind(Transport.best(), path))
                .isInstanceOf(StartupException.class)
                .hasMessageContaining("not a socket");
        assertThat(path).hasContent("precious");
    }

    @Test
    void aMissingDirectoryIsAStartupFailure() {
        Path path = dir.resolve("no-such-dir").resolve("s.sock");
        assertThatThrownBy(() -> bind(Transport.best(), path))
                .isInstanceOf(StartupException.class)
                .hasMessageStartingWith("cannot listen on " + path);
    }

    private Listener bind(Transport transport, Path path) throws StartupException {
        if (group == null) {
            group = transport.newEventLoopGroup(1, "listener-test");
        }
        return Listener.bind(KivalooAddress.parse(path.toString()), transport, group, group,
                new ChannelInitializer<Channel>() {
                    @Override
                    protected void initChannel(Channel ch) {
                        // accepted and left idle
                    }
                }, new AcceptLimiter(0, false), false, 10);
    }

    /** True if something listens at {@code path}: a connect succeeds as soon as the kernel queues it. */
    private static boolean accepts(Path path) {
        try (SocketChannel probe = SocketChannel.open(StandardProtocolFamily.UNIX)) {
            return probe.connect(UnixDomainSocketAddress.of(path));
        } catch (IOException refused) {
            return false;
        }
    }
}
