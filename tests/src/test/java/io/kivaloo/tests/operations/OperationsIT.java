package io.kivaloo.tests.operations;

import io.kivaloo.tests.chain.Chain;
import io.kivaloo.tests.chain.ChainExtension;
import io.kivaloo.tests.chain.DaemonBinaries;
import io.kivaloo.tests.chain.Role;
import io.kivaloo.tests.chain.Wiring;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What an operator sees from this project's launchers: --help and --version
 * succeed; a bad option is exit 2 with one line naming it; an address another
 * process listens on, a missing or unusable storage directory, or an
 * unreachable upstream is exit 1 with one line saying so. Only our launchers
 * are checked (the C originals differ: exit 1 for usage errors, no --help).
 */
class OperationsIT {

    @RegisterExtension
    final ChainExtension chains = new ChainExtension();

    @TempDir
    Path directory;

    @ParameterizedTest(name = "{0}")
    @EnumSource(Role.class)
    void helpAndVersionExitZero(Role role) throws Exception {
        Path executable = ours(role);
        LauncherRun help = LauncherRun.run(directory, List.of(executable.toString(), "--help"));
        assertThat(help.status()).as("--help: " + help).isZero();
        assertThat(help.stdout() + help.stderr()).as("--help prints usage").contains("-s");
        LauncherRun version = LauncherRun.run(directory, List.of(executable.toString(), "--version"));
        assertThat(version.status()).as("--version: " + version).isZero();
        assertThat(version.stdout() + version.stderr()).as("--version").contains(executable.getFileName().toString());
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(Role.class)
    void unknownOptionExitsTwoWithOneLineNamingIt(Role role) throws Exception {
        Path executable = ours(role);
        LauncherRun run = LauncherRun.run(directory, List.of(executable.toString(), "--no-such-option"));
        assertThat(run.status()).as(run.toString()).isEqualTo(2);
        assertThat(run.errorLines()).as(run.toString()).isNotEmpty();
        assertThat(run.errorLines().get(0)).as(run.toString())
                .isEqualTo(shortName(role) + ": illegal option -- --no-such-option");
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(Role.class)
    void missingRequiredOptionExitsTwo(Role role) throws Exception {
        LauncherRun run = LauncherRun.run(directory, List.of(ours(role).toString()));
        assertThat(run.status()).as(run.toString()).isEqualTo(2);
        assertThat(run.errorLines()).as(run.toString()).isNotEmpty();
        assertThat(run.errorLines().get(0)).as(run.toString()).startsWith(shortName(role) + ": ");
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(Wiring.class)
    void addressInUseExitsOneWithOneLine(Wiring wiring) throws Exception {
        for (Role role : Role.values()) {
            ours(role);
        }
        Chain chain = chains.start(Chain.builder().wiring(wiring));
        // kvlds and mux need a free upstream to get as far as binding: stop mux so that kvlds is free too.
        chain.stop(Role.MUX);
        try (AutoCloseable held = holdAddress(wiring, directory.resolve("held.sock"))) {
            String address = heldAddress;
            Path store = Files.createDirectory(directory.resolve("other-store"));
            List<List<String>> commands = List.of(
                    List.of(ours(Role.BLOCK_STORE).toString(), "-s", address, "-d", store.toString(), "-b", "4096"),
                    List.of(ours(Role.MUX).toString(), "-t", chain.address(Role.KVLDS).text(), "-s", address));
            for (List<String> command : commands) {
                LauncherRun run = LauncherRun.run(directory, command);
                assertThat(run.status()).as(String.join(" ", command) + ": " + run).isEqualTo(1);
                assertThat(run.errorLines()).as(run.toString()).hasSize(1);
            }
            chain.stop(Role.KVLDS);
            List<String> kvlds = List.of(ours(Role.KVLDS).toString(), "-s", address,
                    "-l", chain.address(Role.BLOCK_STORE).text());
            LauncherRun run = LauncherRun.run(directory, kvlds);
            assertThat(run.status()).as(String.join(" ", kvlds) + ": " + run).isEqualTo(1);
            assertThat(run.errorLines()).as(run.toString()).hasSize(1);
        }
    }

    @Test
    void missingOrUnusableStorageDirectoryExitsOne() throws Exception {
        Path lbs = ours(Role.BLOCK_STORE);
        Path file = Files.writeString(directory.resolve("a-file"), "not a directory");
        List<Path> bad = new ArrayList<>(List.of(directory.resolve("missing"), file, file.resolve("below-a-file")));
        for (Path storage : bad) {
            List<String> command = List.of(lbs.toString(), "-s", directory.resolve("lbs.sock").toString(),
                    "-d", storage.toString(), "-b", "4096");
            LauncherRun run = LauncherRun.run(directory, command);
            assertThat(run.status()).as(String.join(" ", command) + ": " + run).isEqualTo(1);
            assertThat(run.errorLines()).as(run.toString()).hasSize(1);
            assertThat(run.errorLines().get(0)).startsWith("lbs: ");
        }
    }

    @Test
    void unreachableUpstreamExitsOne() throws Exception {
        List<List<String>> commands = List.of(
                List.of(ours(Role.KVLDS).toString(), "-s", directory.resolve("kvlds.sock").toString(),
                        "-l", directory.resolve("no-lbs.sock").toString()),
                List.of(ours(Role.MUX).toString(), "-s", directory.resolve("mux.sock").toString(),
                        "-t", directory.resolve("no-kvlds.sock").toString()));
        for (List<String> command : commands) {
            LauncherRun run = LauncherRun.run(directory, command);
            assertThat(run.status()).as(String.join(" ", command) + ": " + run).isEqualTo(1);
            assertThat(run.errorLines()).as(run.toString()).hasSize(1);
        }
    }

    private String heldAddress;

    /** Listens on an address in this JVM, so that it is genuinely in use (not a stale socket file). */
    private AutoCloseable holdAddress(Wiring wiring, Path unixPath) throws Exception {
        if (wiring == Wiring.UNIX) {
            ServerSocketChannel channel = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
            channel.bind(UnixDomainSocketAddress.of(unixPath));
            heldAddress = unixPath.toString();
            return () -> {
                channel.close();
                Files.deleteIfExists(unixPath);
            };
        }
        ServerSocket socket = new ServerSocket();
        socket.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
        heldAddress = "[127.0.0.1]:" + socket.getLocalPort();
        return socket;
    }

    /** The executable of {@code role}, which must be one of our launchers (the test is skipped otherwise). */
    private static Path ours(Role role) {
        DaemonBinaries binaries = DaemonBinaries.fromSystemProperties();
        Assumptions.assumeTrue(binaries.isOurs(role), () -> role + " is " + binaries.executable(role)
                + ", not one of this project's launchers: operations checks apply to ours only");
        String module = shortName(role);
        Path jar = binaries.root().resolve(module).resolve("target").resolve("kivaloo-" + module + ".jar");
        Assumptions.assumeTrue(Files.isRegularFile(jar), () -> module + " is not built (" + jar + " missing)");
        return binaries.executable(role);
    }

    private static String shortName(Role role) {
        return role == Role.BLOCK_STORE ? "lbs" : role.fileStem();
    }
}
