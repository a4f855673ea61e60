package io.kivaloo.tests.containers;

import org.junit.jupiter.api.Assumptions;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The operator image (deploy/docker/), built the way an operator builds it:
 * by {@code deploy/docker/build-image.sh}, the one documented command, from
 * this build's launchers and jars, tagged {@value #TAG}.
 *
 * <p>Base image: system property {@code kivaloo.docker.baseImage}, else the
 * environment variable {@code KIVALOO_BASE_IMAGE} (exported by
 * tests/docker/docker-up.sh), else {@code kivaloo-jre:local}, the jlink image
 * deploy/docker/build-base-image.sh builds without a registry (build-image.sh
 * builds it when missing). Where a registry is reachable,
 * {@code eclipse-temurin:17-jre} works as well.
 */
final class KivalooImage {

    static final String TAG = "kivaloo:it";
    static final String DEFAULT_BASE_IMAGE = "kivaloo-jre:local";
    /** The modules build-image.sh puts in the image; the suites skip unless each is packaged. */
    static final List<String> MODULES = List.of("lbs", "lbs-s3", "kvlds", "mux", "cli", "tools");
    /** A first build copies ~50 MB and may build the base image; generous for a busy 2-core machine. */
    private static final long BUILD_DEADLINE_SECONDS = 900;

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

    /** Skips the calling test unless every module of the image is packaged under {@code root}. */
    static void assumeBuilt(Path root) {
        for (String module : MODULES) {
            Path jar = root.resolve(module).resolve("target").resolve("kivaloo-" + module + ".jar");
            Assumptions.assumeTrue(Files.isRegularFile(jar),
                    () -> module + " is not built (" + jar + " missing): run ./mvnw -DskipTests package first");
        }
    }

    /**
     * Runs {@code <root>/deploy/docker/build-image.sh -t kivaloo:it --base <base>}
     * (DOCKER_HOST reaches it through this JVM's environment) and returns the
     * tag; the script's output goes to {@code log}, which the failure names.
     */
    static String build(Path root, Path log) throws IOException, InterruptedException {
        Process build = new ProcessBuilder(root.resolve("deploy/docker/build-image.sh").toString(),
                "-t", TAG, "--base", baseImage())
                .redirectErrorStream(true).redirectOutput(log.toFile()).start();
        build.getOutputStream().close();
        if (!build.waitFor(BUILD_DEADLINE_SECONDS, TimeUnit.SECONDS)) {
            build.destroyForcibly();
            throw new IOException("build-image.sh did not finish in " + BUILD_DEADLINE_SECONDS + " s; its output:\n"
                    + Files.readString(log, StandardCharsets.UTF_8));
        }
        if (build.exitValue() != 0) {
            throw new IOException("build-image.sh exited " + build.exitValue() + "; its output:\n"
                    + Files.readString(log, StandardCharsets.UTF_8));
        }
        return TAG;
    }
}
