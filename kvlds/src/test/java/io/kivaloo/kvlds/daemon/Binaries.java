package io.kivaloo.kvlds.daemon;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * Where the other daemons are: the original C binaries (../shared/c-kivaloo/bin
 * from the repository, or -Dkivaloo.c.bin=<dir>) and our lbs's compiled
 * classes (../lbs/target/classes, or -Dkivaloo.lbs.classes=<dir>). Tests that
 * need one skip with a clear message when it is absent.
 */
final class Binaries {

    private Binaries() {
    }

    static Optional<Path> c(String name) {
        String configured = System.getProperty("kivaloo.c.bin");
        Path[] candidates = configured != null ? new Path[] {Path.of(configured)}
                : new Path[] {Path.of("..", "..", "shared", "c-kivaloo", "bin"), Path.of("..", "shared", "c-kivaloo", "bin")};
        for (Path dir : candidates) {
            Path p = dir.resolve(name).toAbsolutePath().normalize();
            if (Files.isExecutable(p)) {
                return Optional.of(p);
            }
        }
        return Optional.empty();
    }

    static Optional<Path> javaLbsClasses() {
        String configured = System.getProperty("kivaloo.lbs.classes");
        Path dir = (configured != null ? Path.of(configured) : Path.of("..", "lbs", "target", "classes")).toAbsolutePath().normalize();
        return Files.isRegularFile(dir.resolve("io/kivaloo/lbs/LbsMain.class")) ? Optional.of(dir) : Optional.empty();
    }
}
