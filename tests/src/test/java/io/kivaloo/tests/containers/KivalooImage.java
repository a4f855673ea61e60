package io.kivaloo.tests.containers;

import org.testcontainers.images.builder.ImageFromDockerfile;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

/**
 * The image the container suites run: tests/docker/Dockerfile over a base
 * image given as a parameter, with this build's launchers (bin/) and the
 * packaged daemons (lbs, kvlds, mux: target/kivaloo-*.jar and target/lib/).
 *
 * <p>Base image: system property {@code kivaloo.docker.baseImage}, else the
 * environment variable {@code KIVALOO_BASE_IMAGE} (exported by
 * tests/docker/docker-up.sh), else {@code kivaloo-jre:local}, the jlink image
 * tests/docker/build-base-image.sh builds without a registry. Where a registry
 * is reachable, {@code eclipse-temurin:17-jre} works as well.
 */
final class KivalooImage {

    static final String DEFAULT_BASE_IMAGE = "kivaloo-jre:local";
    static final List<String> MODULES = List.of("lbs", "kvlds", "mux");
    /** Where the image holds the launchers and jars. */
    static final String INSTALL_DIRECTORY = "/opt/kivaloo";

    private KivalooImage() {
    }

    static String baseImage() {
        String property = System.getProperty("kivaloo.docker.baseImage", "");
        if (!property.isBlank()) {
            return property;
        }
        String env = System.getenv("KIVALOO_BASE_IMAGE");
        return env == null || env.isBlank() ? DEFAULT_BASE_IMAGE : env;
    }

    /** The image description (built by Testcontainers when first used); {@code root} is the repository. */
    static ImageFromDockerfile build(Path root) throws IOException {
        ImageFromDockerfile image = new ImageFromDockerfile("kivaloo-chain-test", true)
                .withFileFromPath("Dockerfile", root.resolve("tests/docker/Dockerfile"))
                .withBuildArg("BASE_IMAGE", baseImage());
        try (Stream<Path> launchers = Files.list(root.resolve("bin"))) {
            for (Path launcher : (Iterable<Path>) launchers::iterator) {
                image.withFileFromPath("kivaloo/bin/" + launcher.getFileName(), launcher);
            }
        }
        for (String module : MODULES) {
            Path target = root.resolve(module).resolve("target");
            String jar = "kivaloo-" + module + ".jar";
            image.withFileFromPath("kivaloo/" + module + "/target/" + jar, target.resolve(jar));
            image.withFileFromPath("kivaloo/" + module + "/target/lib", target.resolve("lib"));
        }
        return image;
    }
}
