package io.kivaloo.bench.mux;

import io.kivaloo.proto.daemon.CommandLineRun;
import io.kivaloo.proto.daemon.DaemonCommandLine;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** MuxLoad's command line: bad figures are usage errors before any connection is tried. */
class MuxLoadOptionsTest {

    private static CommandLineRun run(String... args) {
        return CommandLineRun.execute("MuxLoad", new MuxLoad.Options(), args);
    }

    @Test
    void aGetShareOutsideZeroToOneIsAUsageError() {
        CommandLineRun run = run("--kvlds", "/nonexistent/kvlds.sock", "--gets", "1.5");
        assertThat(run.status()).isEqualTo(DaemonCommandLine.EXIT_USAGE);
        assertThat(run.err()).startsWith("MuxLoad: need").contains("0 <= --gets <= 1");
    }

    @Test
    void zeroClientsIsAUsageError() {
        CommandLineRun run = run("--kvlds", "/nonexistent/kvlds.sock", "--clients", "0");
        assertThat(run.status()).isEqualTo(DaemonCommandLine.EXIT_USAGE);
        assertThat(run.err()).contains("--clients >= 1");
    }

    @Test
    void theTargetIsRequired() {
        CommandLineRun run = run("--clients", "10");
        assertThat(run.status()).isEqualTo(DaemonCommandLine.EXIT_USAGE);
        assertThat(run.err()).startsWith("MuxLoad: ").contains("--kvlds");
    }
}
