package io.kivaloo.proto.daemon;

import org.junit.jupiter.api.Test;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;

import static org.assertj.core.api.Assertions.assertThat;

/** {@link RequiredOptions}: every missing option named in one usage error, and an unknown option reported before them. */
class RequiredOptionsTest {

    @Command(name = "kivaloo-mux")
    static final class TestCommand implements Callable<Integer> {
        @Option(names = "-t")
        String target;

        @Option(names = "-s")
        List<String> sources = new ArrayList<>();

        @Option(names = "-p")
        String pidFile;

        @Spec
        CommandSpec spec;

        boolean ran;

        @Override
        public Integer call() {
            RequiredOptions.of(spec).need(target, "-t <address>").needAtLeastOne(sources, "-s <address>").check();
            ran = true;
            return 0;
        }
    }

    private final TestCommand command = new TestCommand();

    private CommandLineRun run(String... args) {
        return CommandLineRun.execute("mux", command, args);
    }

    @Test
    void everyMissingOptionIsNamedInOrderInOneUsageError() {
        CommandLineRun run = run("-p", "/tmp/x.pid");
        assertThat(run.status()).isEqualTo(DaemonCommandLine.EXIT_USAGE);
        assertThat(run.err()).startsWith("mux: Missing required options: -t <address>, -s <address>\n");
        assertThat(command.ran).isFalse();
    }

    @Test
    void onlyTheOptionsStillMissingAreNamed() {
        CommandLineRun run = run("-s", "/tmp/a.sock");
        assertThat(run.status()).isEqualTo(DaemonCommandLine.EXIT_USAGE);
        assertThat(run.err()).startsWith("mux: Missing required options: -t <address>\n");
    }

    @Test
    void anUnknownOptionIsReportedBeforeMissingOnes() {
        CommandLineRun run = run("--badarg");
        assertThat(run.status()).isEqualTo(DaemonCommandLine.EXIT_USAGE);
        assertThat(run.err()).startsWith("mux: illegal option -- --badarg");
    }

    @Test
    void nothingMissingRunsTheCommand() {
        CommandLineRun run = run("-t", "/tmp/k.sock", "-s", "/tmp/a.sock");
        assertThat(run.status()).isZero();
        assertThat(command.ran).isTrue();
        assertThat(run.err()).isEmpty();
    }
}
