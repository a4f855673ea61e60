package io.kivaloo.lbs.bench;

import io.kivaloo.proto.daemon.DaemonCommandLine;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

import java.io.PrintWriter;
import java.io.StringWriter;

import static org.assertj.core.api.Assertions.assertThat;

/** LbsBench's command line: bad figures are usage errors before anything is written. */
class LbsBenchOptionsTest {

    private final StringWriter err = new StringWriter();

    private int run(String... args) {
        CommandLine commandLine = DaemonCommandLine.commandLine("LbsBench", new LbsBench.Options());
        commandLine.setErr(new PrintWriter(err, true));
        commandLine.setOut(new PrintWriter(new StringWriter(), true));
        return commandLine.execute(args);
    }

    @Test
    void zeroRoundsIsAUsageError() {
        assertThat(run("--rounds", "0", "--dir", "/nonexistent")).isEqualTo(DaemonCommandLine.EXIT_USAGE);
        assertThat(err.toString()).startsWith("LbsBench: need --seconds >= 1 and --rounds >= 1");
    }

    @Test
    void anUnknownOptionIsAUsageError() {
        assertThat(run("--round", "2")).isEqualTo(DaemonCommandLine.EXIT_USAGE);
        assertThat(err.toString()).startsWith("LbsBench: illegal option -- --round");
    }

    @Test
    void aNonNumericSecondsIsAUsageError() {
        assertThat(run("--seconds", "five")).isEqualTo(DaemonCommandLine.EXIT_USAGE);
        assertThat(err.toString()).startsWith("LbsBench: ").contains("five");
    }
}
