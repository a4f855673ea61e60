package io.kivaloo.bench.lbs;

import io.kivaloo.proto.daemon.CommandLineRun;
import io.kivaloo.proto.daemon.DaemonCommandLine;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** LbsBench's command line: bad figures are usage errors before anything is written. */
class LbsBenchOptionsTest {

    private static CommandLineRun run(String... args) {
        return CommandLineRun.execute("LbsBench", new LbsBench.Options(), args);
    }

    @Test
    void zeroRoundsIsAUsageError() {
        CommandLineRun run = run("--rounds", "0", "--dir", "/nonexistent");
        assertThat(run.status()).isEqualTo(DaemonCommandLine.EXIT_USAGE);
        assertThat(run.err()).startsWith("LbsBench: need --seconds >= 1 and --rounds >= 1");
    }

    @Test
    void anUnknownOptionIsAUsageError() {
        CommandLineRun run = run("--round", "2");
        assertThat(run.status()).isEqualTo(DaemonCommandLine.EXIT_USAGE);
        assertThat(run.err()).startsWith("LbsBench: illegal option -- --round");
    }

    @Test
    void aNonNumericSecondsIsAUsageError() {
        CommandLineRun run = run("--seconds", "five");
        assertThat(run.status()).isEqualTo(DaemonCommandLine.EXIT_USAGE);
        assertThat(run.err()).startsWith("LbsBench: ").contains("five");
    }
}
