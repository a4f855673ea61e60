package io.kivaloo.tests.monitoring;

import io.kivaloo.tests.chain.Chain;
import io.kivaloo.tests.chain.ChainExtension;
import io.kivaloo.tests.chain.DaemonBinaries;
import io.kivaloo.tests.chain.Role;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Supplier;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * How the daemons log, as an operator sets it up (docs/operations.md
 * "Logs"): on the JDK running this suite (CI runs it on 17 and on 25) the
 * launchers start without JVM warnings; a user's own
 * {@code -Dlogback.configurationFile} wins over our defaults; {@code
 * --log-format json} writes one JSON object per line; SIGHUP reopens
 * {@code --log-file} after logrotate moved it.
 */
class LoggingIT {

    private static final Duration DEADLINE = Duration.ofSeconds(120);
    private static final long POLL_NANOS = TimeUnit.MILLISECONDS.toNanos(50);

    @RegisterExtension
    final ChainExtension chains = new ChainExtension();

    @TempDir
    Path directory;

    @Test
    void launchersStartWithoutJvmWarnings() throws Exception {
        DaemonBinaries.fromSystemProperties().assumeBuilt();
        Chain chain = chains.start(Chain.builder());
        for (Role role : Role.values()) {
            List<String> lines = Files.readAllLines(chain.directory().resolve(role.fileStem() + ".log"));
            assertThat(lines).as(role + " on java.home=" + System.getProperty("java.home"))
                    .noneMatch(line -> line.startsWith("WARNING:"))
                    .anyMatch(line -> line.contains("ready pid="));
        }
    }

    /** The tools' launcher (bin/kivaloo-tool) loads Netty's native transport too; on JDK 25 it warned (checked). */
    @Test
    void toolsRunWithoutJvmWarnings() throws Exception {
        DaemonBinaries binaries = DaemonBinaries.fromSystemProperties();
        binaries.assumeBuilt();
        Chain chain = chains.start(Chain.builder());
        String mux = chain.address(Role.MUX).text();
        for (List<String> tool : List.of(List.of("kivaloo-cli", "-t", mux, "ping"),
                List.of("kivaloo-kvlds-dump", "-t", mux))) {
            List<String> command = new ArrayList<>(tool);
            command.set(0, binaries.root().resolve("bin").resolve(tool.get(0)).toString());
            Path err = directory.resolve(tool.get(0) + ".err");
            Process process = new ProcessBuilder(command).redirectError(err.toFile())
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD).redirectInput(new File("/dev/null")).start();
            assertThat(process.waitFor(DEADLINE.toSeconds(), TimeUnit.SECONDS)).as(tool + " exited").isTrue();
            List<String> lines = Files.readAllLines(err);
            assertThat(process.exitValue()).as(tool + ": " + lines).isZero();
            assertThat(lines).as(tool + " on java.home=" + System.getProperty("java.home"))
                    .noneMatch(line -> line.startsWith("WARNING:"));
        }
    }

    @Test
    void aUsersLogbackConfigurationFileWins() throws Exception {
        DaemonBinaries.fromSystemProperties().assumeBuilt();
        Path log = directory.resolve("custom.log");
        Path configuration = Files.writeString(directory.resolve("logback.xml"),
                "<configuration>\n"
                        + "  <appender name=\"file\" class=\"ch.qos.logback.core.FileAppender\">\n"
                        + "    <file>" + log + "</file>\n"
                        + "    <encoder><pattern>CUSTOM %level %msg%n</pattern></encoder>\n"
                        + "  </appender>\n"
                        + "  <root level=\"INFO\"><appender-ref ref=\"file\"/></root>\n"
                        + "</configuration>\n");
        Chain chain = chains.start(Chain.builder().javaOptions(
                "-XX:+UseSerialGC -XX:TieredStopAtLevel=1 -Xmx256m -Dlogback.configurationFile=" + configuration));
        List<String> lines = Files.readAllLines(log);
        assertThat(lines.stream().filter(l -> l.startsWith("CUSTOM INFO ready pid="))).as(String.join("\n", lines)).hasSize(3);
        for (Role role : Role.values()) {
            // --log-level info on the command line did not take over: stderr stays empty of log lines.
            assertThat(Files.readAllLines(chain.directory().resolve(role.fileStem() + ".log")))
                    .noneMatch(line -> line.contains("ready pid="));
        }
    }

    @Test
    void jsonLinesAndSighupReopensTheLogFile() throws Exception {
        DaemonBinaries binaries = DaemonBinaries.fromSystemProperties();
        binaries.assumeBuilt();
        Path store = Files.createDirectory(directory.resolve("store"));
        Path log = directory.resolve("lbs.log");
        Path pidFile = directory.resolve("lbs.pid");
        // Under nohup, as operators often start daemons: SIGHUP is then ignored from the start, and the JVM
        // silently installs no handler for an ignored signal unless the launcher resets it (this failed before).
        Process launcher = new ProcessBuilder("nohup", binaries.root().resolve("bin/kivaloo-lbs").toString(),
                "-s", directory.resolve("lbs.sock").toString(), "-d", store.toString(), "-b", "4096",
                "-p", pidFile.toString(), "--log-file", log.toString(), "--log-format", "json", "--log-level", "info")
                .redirectErrorStream(true).redirectOutput(directory.resolve("launcher.out").toFile())
                .redirectInput(new File("/dev/null")).start();
        assertThat(launcher.waitFor(DEADLINE.toSeconds(), TimeUnit.SECONDS)).isTrue();
        assertThat(launcher.exitValue()).as(Files.readString(directory.resolve("launcher.out"))).isZero();
        ProcessHandle lbs = ProcessHandle.of(Long.parseLong(Files.readString(pidFile).trim())).orElseThrow();
        try {
            List<String> lines = Files.readAllLines(log, StandardCharsets.UTF_8);
            assertThat(lines).isNotEmpty().allMatch(l -> l.startsWith("{") && l.endsWith("}"))
                    .anyMatch(l -> l.contains("\"level\":\"INFO\"") && l.contains("ready pid="));

            Path rotated = directory.resolve("lbs.log.1");
            Files.move(log, rotated);
            int kill = new ProcessBuilder("kill", "-HUP", Long.toString(lbs.pid())).inheritIO().start().waitFor();
            assertThat(kill).as("kill -HUP status").isZero();
            awaitLine(log, "log file reopened", () -> "lbs alive: " + lbs.isAlive() + "\nrotated file:\n"
                    + readOrNothing(rotated) + "\nlauncher and daemon output:\n" + readOrNothing(directory.resolve("launcher.out")));
            assertThat(Files.readString(rotated)).doesNotContain("log file reopened");
            assertThat(lbs.isAlive()).isTrue();
        } finally {
            lbs.destroy();
            lbs.onExit().get(DEADLINE.toSeconds(), TimeUnit.SECONDS);
        }
    }

    /** The daemon writes the line when it has reopened the file; it is another process, so the file is looked at again until then. */
    private static void awaitLine(Path file, String text, Supplier<String> diagnosis) throws IOException {
        long deadline = System.nanoTime() + DEADLINE.toNanos();
        while (!(Files.exists(file) && Files.readString(file).contains(text))) {
            if (System.nanoTime() - deadline > 0) {
                throw new AssertionError(file + " has no line '" + text + "' after " + DEADLINE.toSeconds() + " s; it holds:\n"
                        + readOrNothing(file) + "\n" + diagnosis.get());
            }
            LockSupport.parkNanos(POLL_NANOS);
        }
    }

    private static String readOrNothing(Path file) {
        try {
            return Files.exists(file) ? Files.readString(file) : "(no file " + file + ")";
        } catch (IOException e) {
            return "(cannot read " + file + ": " + e.getMessage() + ")";
        }
    }
}
