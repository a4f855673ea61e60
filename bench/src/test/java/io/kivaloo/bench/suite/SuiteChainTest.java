package io.kivaloo.bench.suite;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What a chain passes its launchers: recorded by stand-in launchers that exit at once, as the real ones do once ready. */
class SuiteChainTest {

    @TempDir
    Path tmp;

    @Test
    void kvldsArgsOfTheLaunchGoToKvldsAlone() throws IOException {
        Path bin = standInLaunchers();
        SuiteChain.Launch launch = new SuiteChain.Launch(Map.of("KIVALOO_JAVA_OPTS", "-Xmx1g"), false,
                List.of("--max-span", "0"));
        try (SuiteChain chain = SuiteChain.start(new SuiteChain.Binaries(bin, bin, bin), launch, tmp.resolve("chain"), false)) {
            assertThat(chain.clientSocket()).isEqualTo(tmp.resolve("chain").resolve("kvlds.sock"));
        }
        assertThat(Files.readString(tmp.resolve("kivaloo-kvlds.args")).strip())
                .endsWith("--max-span 0 -p " + tmp.resolve("chain").resolve("kvlds.pid") + " env=-Xmx1g");
        assertThat(Files.readString(tmp.resolve("kivaloo-lbs.args"))).doesNotContain("--max-span");
    }

    @Test
    void aPlainLaunchAddsNothing() throws IOException {
        Path bin = standInLaunchers();
        try (SuiteChain chain = SuiteChain.start(new SuiteChain.Binaries(bin, bin, bin), SuiteChain.Launch.PLAIN,
                tmp.resolve("chain"), false)) {
            assertThat(chain.metricsPorts()).isEmpty();
        }
        Path sock = tmp.resolve("chain");
        assertThat(Files.readString(tmp.resolve("kivaloo-kvlds.args")).strip()).isEqualTo("-s " + sock.resolve("kvlds.sock")
                + " -l " + sock.resolve("lbs.sock") + " -p " + sock.resolve("kvlds.pid") + " env=");
    }

    /** Launchers that write their arguments and KIVALOO_JAVA_OPTS beside the bin directory, and no pid file. */
    private Path standInLaunchers() throws IOException {
        Path bin = Files.createDirectories(tmp.resolve("bin"));
        for (String name : List.of("kivaloo-lbs", "kivaloo-kvlds", "kivaloo-mux")) {
            Path launcher = bin.resolve(name);
            Files.writeString(launcher, "#!/bin/sh\necho \"$*\" env=\"${KIVALOO_JAVA_OPTS:-}\" > '"
                    + tmp.resolve(name + ".args") + "'\n");
            Files.setPosixFilePermissions(launcher, PosixFilePermissions.fromString("rwxr-xr-x"));
        }
        return bin;
    }
}
