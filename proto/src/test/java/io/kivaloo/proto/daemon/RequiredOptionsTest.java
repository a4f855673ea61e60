package io.kivaloo.proto.daemon;

import org.junit.jupiter.api.Test;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.io.StringWriter;
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
    private final StringWriter err = new StringWriter();

    private int run(String... args) {
        CommandLine commandLine = DaemonCommandLine.commandLine("mux", command);
        commandLine.setErr(new PrintWriter(err, true));
        return commandLine.execute(args);
    }

    @Test
    void everyMissingOptionIsNamedInOrderInOneUsageError() {
        assertThat(run("-p", "/tmp/x.pid")).isEqualTo(DaemonCommandLine.EXIT_USAGE);
        assertThat(err.toString()).startsWith("mux: Missing required options: -t <address>, -s <address>\n");
        assertThat(command.ran).isFalse();
    }

    @Test
    void onlyTheOptionsStillMissingAreNamed() {
        assertThat(run("-s", "/tmp/a.sock")).isEqualTo(DaemonCommandLine.EXIT_USAGE);
        assertThat(err.toString()).startsWith("mux: Missing required options: -t <address>\n");
    }

    @Test
    void anUnknownOptionIsReportedBeforeMissingOnes() {
        assertThat(run("--badarg")).isEqualTo(DaemonCommandLine.EXIT_USAGE);
        assertThat(err.toString()).startsWith("mux: illegal option -- --badarg");
    }

    @Test
    void nothingMissingRunsTheCommand() {
        assertThat(run("-t", "/tmp/k.sock", "-s", "/tmp/a.sock")).isZero();
        assertThat(command.ran).isTrue();
        assertThat(err.toString()).isEmpty();
    }
}
