package io.kivaloo.proto.client;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The client's packages use nothing that proto declares optional
 * (DESIGN.md "Client artifact"): an application that depends on
 * kivaloo-proto gets Netty and slf4j-api only, so a client class that
 * reached picocli, Prometheus, logback or the daemon scaffolding would fail
 * there with NoClassDefFoundError. Checked on the sources, which is where
 * such an import would be added.
 */
class ClientArtifactBoundaryTest {

    /** The packages an application uses: the client, its codecs, framing and addresses. */
    private static final List<String> CLIENT_PACKAGES = List.of("client", "kvlds", "wire", "net", "lbs");
    private static final List<String> DAEMON_ONLY = List.of("import picocli.", "import io.prometheus.",
            "import ch.qos.logback.", "import io.kivaloo.proto.daemon.", "import io.kivaloo.proto.metrics.",
            "import io.kivaloo.proto.lbs.server.");

    @Test
    void theClientPackagesImportNothingOnlyDaemonsHave() throws IOException {
        Path root = Path.of("src", "main", "java", "io", "kivaloo", "proto");
        assertThat(root).isDirectory();
        List<String> offences = new ArrayList<>();
        int files = 0;
        for (String pkg : CLIENT_PACKAGES) {
            try (Stream<Path> sources = Files.walk(root.resolve(pkg))) {
                for (Path source : (Iterable<Path>) sources.filter(p -> p.toString().endsWith(".java"))::iterator) {
                    if (source.startsWith(root.resolve("lbs").resolve("server"))) {
                        continue; // the LBS server side is daemon scaffolding
                    }
                    files++;
                    for (String line : Files.readAllLines(source)) {
                        if (DAEMON_ONLY.stream().anyMatch(line::startsWith)) {
                            offences.add(root.relativize(source) + ": " + line);
                        }
                    }
                }
            }
        }
        assertThat(files).as("client source files checked").isGreaterThan(20);
        assertThat(offences).isEmpty();
    }
}
