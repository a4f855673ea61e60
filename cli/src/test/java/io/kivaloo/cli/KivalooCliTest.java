package io.kivaloo.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.file.Path;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Argument parsing and the exit statuses that need no server: usage errors
 * are 2 and are found before connecting (the target does not exist, so a
 * connection attempt would be 3), no server is 3 with one line.
 */
class KivalooCliTest {

    private static final String NOWHERE = "/nonexistent-kivaloo-cli-test/kivaloo.sock";

    @TempDir
    Path directory;

    @Test
    void helpListsEveryCommandAndTheExitStatuses() {
        CliRun run = CliRun.run("--help");
        assertThat(run.status()).as(run.toString()).isZero();
        assertThat(run.stdout()).contains("get", "set", "add", "modify", "cas", "delete", "cad", "range", "load",
                "params", "ping", "Exit status:", "3   no connection");
    }

    @Test
    void everyCommandsHelpListsTheExitStatuses() {
        CliRun run = CliRun.run("cas", "--help");
        assertThat(run.status()).as(run.toString()).isZero();
        assertThat(run.stdout()).contains("KEY OLD NEW", "Exit status:", "1   the condition was false");
    }

    @Test
    void noCommandIsAUsageErrorNamingTheCommands() {
        CliRun run = CliRun.run("-t", NOWHERE);
        assertThat(run.status()).as(run.toString()).isEqualTo(ExitStatus.USAGE);
        assertThat(run.errorLines().get(0)).isEqualTo("kivaloo-cli: missing command: one of get, set, add, modify, "
                + "cas, delete, cad, range, load, params, ping, help");
    }

    @ParameterizedTest
    @ValueSource(strings = {"--bogus get k", "get", "get a b", "set k", "cas k old", "cad k", "range a b c",
            "nosuch k", "--timeout 10 get k", "--timeout 0s get k", "--timeout 1h get k", "--encoding latin1 get k",
            "-t nowhere get k"})
    void badCommandLinesAreUsageErrorsBeforeConnecting(String line) {
        CliRun run = CliRun.run(("-t " + NOWHERE + " " + line).split(" "));
        assertThat(run.status()).as(run.toString()).isEqualTo(ExitStatus.USAGE);
        assertThat(run.errorLines().get(0)).as(run.toString()).startsWith("kivaloo-cli: ");
        assertThat(run.errorLines().get(1)).as(run.toString()).startsWith("Try 'kivaloo-cli");
    }

    @ParameterizedTest
    @ValueSource(strings = {"--encoding hex get 0g", "--encoding hex set 00 abc", "--encoding base64 get a*b",
            "get a\\b", "cas k \\xZZ new", "range \\x0"})
    void argumentsTheEncodingRejectsAreUsageErrorsBeforeConnecting(String line) {
        CliRun run = CliRun.run(("-t " + NOWHERE + " " + line).split(" "));
        assertThat(run.status()).as(run.toString()).isEqualTo(ExitStatus.USAGE);
        assertThat(run.errorLines()).as(run.toString()).hasSize(1);
    }

    @Test
    void aKeyOverTheWiresLimitIsRefusedBeforeConnecting() {
        CliRun run = CliRun.run("-t", NOWHERE, "get", "k".repeat(256));
        assertThat(run.status()).as(run.toString()).isEqualTo(ExitStatus.USAGE);
        assertThat(run.errorLines()).containsExactly("kivaloo-cli: KEY is 256 bytes (expected: <= 255, "
                + "max-key-length from the wire format's limit); nothing was sent for it");
    }

    @Test
    void aValueOverTheWiresLimitCountsBytesNotCharacters() {
        CliRun run = CliRun.run("-t", NOWHERE, "set", "k", "é".repeat(128));
        assertThat(run.status()).as(run.toString()).isEqualTo(ExitStatus.USAGE);
        assertThat(run.errorLines().get(0)).contains("VALUE is 256 bytes");
    }

    @Test
    void noServerIsExitThreeWithOneLine() {
        CliRun run = CliRun.run("-t", NOWHERE, "get", "k");
        assertThat(run.status()).as(run.toString()).isEqualTo(ExitStatus.FAILURE);
        assertThat(run.errorLines()).as(run.toString()).hasSize(1);
        assertThat(run.errorLines().get(0)).startsWith("kivaloo-cli: cannot connect to " + NOWHERE + ": ");
    }

    @Test
    void sharedOptionsMayFollowTheCommand() {
        CliRun run = CliRun.run("get", "k", "-t", NOWHERE, "--encoding", "hex");
        // "k" is not hex: the encoding given after the command applied.
        assertThat(run.status()).as(run.toString()).isEqualTo(ExitStatus.USAGE);
        assertThat(run.errorLines().get(0)).contains("hex text has odd length");
        CliRun connecting = CliRun.run("get", "k", "-t", NOWHERE);
        assertThat(connecting.errorLines().get(0)).contains(NOWHERE);
    }

    @Test
    void argumentsStartingWithADashAreArgumentsNotOptions() {
        CliRun run = CliRun.run("-t", NOWHERE, "set", "counter", "-1");
        assertThat(run.status()).as(run.toString()).isEqualTo(ExitStatus.FAILURE);
        assertThat(run.errorLines().get(0)).startsWith("kivaloo-cli: cannot connect to ");
    }

    @Test
    void theAddressComesFromTheVariableWhenThereIsNoTarget() {
        String socket = directory.resolve("from-variable.sock").toString();
        CliRun run = CliRun.run(Map.of("KIVALOO_ADDRESS", socket), directory, "", "get", "k");
        assertThat(run.status()).as(run.toString()).isEqualTo(ExitStatus.FAILURE);
        assertThat(run.errorLines().get(0)).startsWith("kivaloo-cli: cannot connect to " + socket + ": ");
    }

    @Test
    void theTargetWinsOverTheVariable() {
        CliRun run = CliRun.run(Map.of("KIVALOO_ADDRESS", "/elsewhere.sock"), directory, "", "-t", NOWHERE, "get", "k");
        assertThat(run.errorLines().get(0)).as(run.toString()).contains(NOWHERE);
    }

    @Test
    void withoutTargetOrVariableTheAddressIsKivalooStartsSocketInTheWorkingDirectory() {
        CliRun run = CliRun.run(Map.of(), directory, "", "get", "k");
        assertThat(run.status()).as(run.toString()).isEqualTo(ExitStatus.FAILURE);
        assertThat(run.errorLines().get(0))
                .startsWith("kivaloo-cli: cannot connect to " + directory.resolve("kivaloo-data/kivaloo.sock") + ": ");
    }

    @Test
    void aBadVariableIsAUsageErrorNamingIt() {
        CliRun run = CliRun.run(Map.of("KIVALOO_ADDRESS", "no-port"), directory, "", "get", "k");
        assertThat(run.status()).as(run.toString()).isEqualTo(ExitStatus.USAGE);
        assertThat(run.errorLines()).hasSize(1);
        assertThat(run.errorLines().get(0)).startsWith("kivaloo-cli: $KIVALOO_ADDRESS: ");
    }
}
