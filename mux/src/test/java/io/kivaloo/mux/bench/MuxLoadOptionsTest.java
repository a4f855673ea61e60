package io.kivaloo.mux.bench;

import io.kivaloo.proto.daemon.DaemonCommandLine;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

import java.io.PrintWriter;
import java.io.StringWriter;

import static org.assertj.core.api.Assertions.assertThat;

/** MuxLoad's command line: bad figures are usage errors before any connection is tried. */
class MuxLoadOptionsTest {

    private final StringWriter err = new StringWriter();

    private int run(String... args) {
        CommandLine commandLine = DaemonCommandLine.commandLine("MuxLoad", new MuxLoad.Options());
        commandLine.setErr(new PrintWriter(err, true));
        commandLine.setOut(new PrintWriter(new StringWriter(), true));
        return commandLine.execute(args);
    }

    @Test
    void aGetShareOutsideZeroToOneIsAUsageError() {
        assertThat(run("--kvlds", "/nonexistent/kvlds.sock", "--gets", "1.5")).isEqualTo(DaemonCommandLine.EXIT_USAGE);
        assertThat(err.toString()).startsWith("MuxLoad: need").contains("0 <= --gets <= 1");
    }

    @Test
    void zeroClientsIsAUsageError() {
        assertThat(run("--kvlds", "/nonexistent/kvlds.sock", "--clients", "0")).isEqualTo(DaemonCommandLine.EXIT_USAGE);
        assertThat(err.toString()).contains("--clients >= 1");
    }

    @Test
    void theTargetIsRequired() {
        assertThat(run("--clients", "10")).isEqualTo(DaemonCommandLine.EXIT_USAGE);
        assertThat(err.toString()).startsWith("MuxLoad: ").contains("--kvlds");
    }
}
