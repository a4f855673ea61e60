package io.kivaloo.kvlds.daemon;

import io.kivaloo.proto.daemon.CKivalooBinaries;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * Where the other daemons are: the original C binaries (proto's
 * {@link CKivalooBinaries}) and our lbs's compiled
 * classes (../lbs/target/classes, or -Dkivaloo.lbs.classes=<dir>). Tests that
 * need one skip with a clear message when it is absent.
 */
final class Binaries {

    private Binaries() {
    }

    static Optional<Path> c(String name) {
        return CKivalooBinaries.find(name);
    }

    static Optional<Path> javaLbsClasses() {
        String configured = System.getProperty("kivaloo.lbs.classes");
        Path dir = (configured != null ? Path.of(configured) : Path.of("..", "lbs", "target", "classes")).toAbsolutePath().normalize();
        return Files.isRegularFile(dir.resolve("io/kivaloo/lbs/LbsMain.class")) ? Optional.of(dir) : Optional.empty();
    }
}
