package io.kivaloo.proto.daemon;

import io.kivaloo.proto.net.KivalooAddress;
import org.junit.jupiter.api.Test;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.util.concurrent.Callable;

import static org.assertj.core.api.Assertions.assertThat;

/** {@link DaemonCommandLine}: the original's error line and exit statuses, over a tiny daemon command. */
class DaemonCommandLineTest {

    @Command(name = "kivaloo-lbs", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class)
    static final class TestDaemon implements Callable<Integer> {
        @Mixin
        DaemonOptions daemon;

        @Mixin
        SingleConnectionOption single;

        @Option(names = "-s", required = true, converter = AddressConverter.class)
        KivalooAddress socket;

        @Option(names = "-b")
        int blockSize = 512;

        boolean ran;

        @Override
        public Integer call() {
            ran = true;
            return 0;
        }
    }

    private final TestDaemon command = new TestDaemon();
    private CommandLineRun last;

    private int run(String... args) {
        last = CommandLineRun.execute("lbs", command, args);
        return last.status();
    }

    private String firstErrLine() {
        return last.err().lines().findFirst().orElse("");
    }

    @Test
    void unknownOptionPrintsTheOriginalsLineFirstAndExitsWithUsageStatus() {
        int status = run("-s", "/tmp/lbs.sock", "-b", "512", "--badarg");
        assertThat(status).isEqualTo(2).isEqualTo(DaemonCommandLine.EXIT_USAGE);
        assertThat(firstErrLine()).isEqualTo("lbs: illegal option -- --badarg");
        assertThat(command.ran).isFalse();
    }

    @Test
    void unknownOptionIsReportedFirstEvenWhenARequiredOptionIsMissing() {
        int status = run("--badarg");
        assertThat(status).isEqualTo(2);
        assertThat(firstErrLine()).isEqualTo("lbs: illegal option -- --badarg");
    }

    @Test
    void unknownShortOption() {
        assertThat(run("-s", "/tmp/lbs.sock", "-Z")).isEqualTo(2);
        assertThat(firstErrLine()).isEqualTo("lbs: illegal option -- -Z");
    }

    @Test
    void aBadAddressIsAUsageErrorNamingTheProblem() {
        assertThat(run("-s", "localhost")).isEqualTo(2);
        assertThat(firstErrLine()).startsWith("lbs: ").contains("host:port");
    }

    @Test
    void aStrayArgumentIsAUsageError() {
        assertThat(run("-s", "/tmp/lbs.sock", "extra")).isEqualTo(2);
        assertThat(firstErrLine()).isEqualTo("lbs: unexpected argument 'extra'");
    }

    @Test
    void goodOptionsRunTheCommand() {
        int status = run("-s", "/tmp/lbs.sock", "-1", "-F", "-p", "/tmp/lbs.pid", "--log-level", "info");
        assertThat(status).isZero();
        assertThat(last.err()).isEmpty();
        assertThat(command.ran).isTrue();
        assertThat(command.single.single()).isTrue();
        assertThat(command.daemon.foreground()).isTrue();
        assertThat(command.daemon.pidFile("/tmp/lbs.sock")).isEqualTo(Path.of("/tmp/lbs.pid"));
        assertThat(command.daemon.logLevel()).isEqualTo("info");
    }

    @Test
    void defaultsFollowTheOriginal() {
        assertThat(run("-s", "localhost:1234")).isZero();
        assertThat(command.daemon.pidFile(command.socket.text())).isEqualTo(Path.of("localhost:1234.pid"));
        assertThat(command.daemon.logLevel()).isEqualTo("warn");
        assertThat(command.daemon.logFile()).isNull();
        assertThat(command.daemon.foreground()).isFalse();
        assertThat(command.single.single()).isFalse();
    }

    @Test
    void anExceptionFromTheCommandIsOneLineAndStatus1() {
        Callable<Integer> failing = new FailingDaemon();
        CommandLineRun run = CommandLineRun.execute("lbs", failing);
        assertThat(run.status()).isEqualTo(1);
        assertThat(run.err().lines()).containsExactly("lbs: java.lang.IllegalStateException: boom");
    }

    @Test
    void executeReturnsTheCommandsStatus() {
        assertThat(DaemonCommandLine.execute("lbs", new TestDaemon(), "-s", "/tmp/lbs.sock")).isZero();
    }

    @Command(name = "kivaloo-lbs")
    static final class FailingDaemon implements Callable<Integer> {
        @Override
        public Integer call() {
            throw new IllegalStateException("boom");
        }
    }
}
