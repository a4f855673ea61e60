package io.kivaloo.tests.deploy;

import io.kivaloo.tests.chain.DaemonBinaries;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The unit files in deploy/systemd/ as systemd reads them. {@code
 * systemd-analyze verify} runs on them in a scratch root laid out as
 * docs/operations.md installs them (launchers under /opt/kivaloo/bin, units
 * under /etc/systemd/system, systemd's own units copied from this machine),
 * so it also checks that every ExecStart= names an executable. Any warning it
 * prints (an unknown key, a value it cannot parse and ignores) fails the test
 * as its exit status would: systemd ignores such lines and starts anyway.
 * Skipped, with the reason, where systemd's tools are not installed.
 */
class SystemdUnitsTest {

    private static final long DEADLINE_SECONDS = 120;
    private static final List<String> UNITS = List.of(
            "kivaloo-lbs.service", "kivaloo-lbs-s3.service", "kivaloo-kvlds.service", "kivaloo-mux.service",
            "kivaloo.target");

    @TempDir
    Path scratch;

    private Path deploy;
    private Path bin;

    @BeforeEach
    void findFiles() {
        Path root = DaemonBinaries.fromSystemProperties().root();
        deploy = root.resolve("deploy/systemd");
        bin = root.resolve("bin");
    }

    @Test
    void systemdAnalyzeVerifyAcceptsEveryUnitWithoutAWarning() throws Exception {
        Path tool = requireTool("systemd-analyze");
        Path systemUnits = Stream.of(Path.of("/usr/lib/systemd/system"), Path.of("/lib/systemd/system"))
                .filter(Files::isDirectory).findFirst().orElse(null);
        Assumptions.assumeTrue(systemUnits != null, "no /usr/lib/systemd/system on this machine: nothing to verify against");

        Path root = scratch.resolve("root");
        copyTree(systemUnits, root.resolve("usr/lib/systemd/system"));
        copyTree(bin, root.resolve("opt/kivaloo/bin"));
        Path etc = Files.createDirectories(root.resolve("etc/systemd/system"));
        List<String> command = new ArrayList<>(List.of(tool.toString(), "--man=no", "verify", "--root=" + root));
        for (String unit : UNITS) {
            Files.copy(deploy.resolve(unit), etc.resolve(unit));
            command.add("/etc/systemd/system/" + unit);
        }

        Run run = Run.of(scratch, command);

        assertThat(run.output()).as("systemd-analyze verify output").isEmpty();
        assertThat(run.status()).as("systemd-analyze verify exit status, output:\n" + run.output()).isZero();
    }

    @Test
    void sysusersFileCreatesTheUserEveryUnitRunsAs() throws Exception {
        Path tool = requireTool("systemd-sysusers");
        Path root = scratch.resolve("root");
        Files.createDirectories(root.resolve("etc"));
        Files.createFile(root.resolve("etc/passwd"));
        Files.createFile(root.resolve("etc/group"));

        Run run = Run.of(scratch, List.of(tool.toString(), "--root=" + root, "--dry-run",
                deploy.resolve("kivaloo.sysusers.conf").toAbsolutePath().toString()));

        assertThat(run.status()).as("systemd-sysusers output:\n" + run.output()).isZero();
        assertThat(run.output()).contains("Creating user 'kivaloo'");
        for (String unit : UNITS.subList(0, 4)) {
            UnitFile file = UnitFile.read(deploy.resolve(unit));
            assertThat(file.values("User")).as(unit).containsExactly("kivaloo");
            assertThat(file.values("Group")).as(unit).containsExactly("kivaloo");
        }
    }

    @Test
    void chainStartsInOrderLbsKvldsMuxOnSharedRuntimeSockets() throws IOException {
        UnitFile lbs = UnitFile.read(deploy.resolve("kivaloo-lbs.service"));
        UnitFile lbsS3 = UnitFile.read(deploy.resolve("kivaloo-lbs-s3.service"));
        UnitFile kvlds = UnitFile.read(deploy.resolve("kivaloo-kvlds.service"));
        UnitFile mux = UnitFile.read(deploy.resolve("kivaloo-mux.service"));

        // kvlds needs its block store, and recovers from it after the store restarts.
        assertThat(kvlds.words("Requires")).contains("kivaloo-lbs.service");
        assertThat(kvlds.words("After")).contains("kivaloo-lbs.service");
        assertThat(kvlds.words("PartOf")).contains("kivaloo-lbs.service");
        // lbs-s3 stands in for lbs under lbs's name, so kvlds's dependencies hold for it too.
        assertThat(lbsS3.words("Alias")).containsExactly("kivaloo-lbs.service");
        assertThat(mux.words("After")).contains("kivaloo-kvlds.service");
        for (UnitFile unit : List.of(lbs, lbsS3, kvlds, mux)) {
            assertThat(unit.values("Type")).containsExactly("forking");
            assertThat(unit.values("RuntimeDirectory")).containsExactly("kivaloo");
            assertThat(unit.values("Restart")).containsExactly("on-failure");
            assertThat(unit.words("PartOf")).contains("kivaloo.target");
            assertThat(unit.values("PIDFile")).hasSize(1);
            assertThat(unit.execStart()).contains("-p", unit.values("PIDFile").get(0));
        }
        assertThat(lbs.values("StateDirectory")).containsExactly("kivaloo/lbs");
        assertThat(lbs.execStart()).contains("-d", "/var/lib/kivaloo/lbs");
        // Each daemon connects to the socket the one below it listens on.
        assertThat(lbs.optionValue("-s")).isEqualTo("/run/kivaloo/lbs.sock");
        assertThat(lbsS3.optionValue("-s")).isEqualTo(lbs.optionValue("-s"));
        assertThat(kvlds.optionValue("-l")).isEqualTo(lbs.optionValue("-s"));
        assertThat(mux.optionValue("-t")).isEqualTo(kvlds.optionValue("-s"));
        assertThat(mux.optionValue("-s")).startsWith("/run/kivaloo/");
    }

    private static Path requireTool(String name) {
        Optional<Path> tool = Stream.of(System.getenv().getOrDefault("PATH", "").split(File.pathSeparator))
                .map(directory -> Path.of(directory, name)).filter(Files::isExecutable).findFirst();
        Assumptions.assumeTrue(tool.isPresent(), name + " is not installed (no systemd here): unit files not checked");
        return tool.get();
    }

    private static void copyTree(Path from, Path to) throws IOException {
        try (Stream<Path> paths = Files.walk(from)) {
            for (Path path : (Iterable<Path>) paths::iterator) {
                Path target = to.resolve(from.relativize(path).toString());
                if (Files.isDirectory(path, LinkOption.NOFOLLOW_LINKS)) {
                    Files.createDirectories(target);
                } else if (Files.isSymbolicLink(path) && Files.readSymbolicLink(path).isAbsolute()) {
                    // A masked unit (a link to /dev/null) or one outside the tree: nothing ours needs.
                    continue;
                } else {
                    // Symlinks stay symlinks: systemd's aliases (e.g. dbus-org.*) are symlinks to units.
                    Files.copy(path, target, StandardCopyOption.COPY_ATTRIBUTES, LinkOption.NOFOLLOW_LINKS);
                }
            }
        }
    }

    /** One run of a tool to its end, output (stdout and stderr together) in a file so nothing blocks. */
    private record Run(int status, String output) {
        static Run of(Path directory, List<String> command) throws IOException, InterruptedException {
            Path output = Files.createTempFile(directory, "output", ".txt");
            Process process = new ProcessBuilder(command).redirectErrorStream(true)
                    .redirectOutput(output.toFile())
                    .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null"))).start();
            if (!process.waitFor(DEADLINE_SECONDS, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new AssertionError(String.join(" ", command) + " did not exit within " + DEADLINE_SECONDS + " s");
            }
            return new Run(process.exitValue(), Files.readString(output, StandardCharsets.UTF_8));
        }
    }
}
