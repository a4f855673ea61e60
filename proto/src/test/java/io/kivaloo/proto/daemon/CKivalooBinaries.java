package io.kivaloo.proto.daemon;

import org.junit.jupiter.api.Assumptions;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * Where the original C kivaloo's programs are, for every test that runs one:
 * the directory named by {@value #PROPERTY}, else {@code shared/c-kivaloo/bin}
 * beside the repository (found from a module directory or the repository
 * root, where Maven runs tests). A user's clone has no such directory: tests
 * that need a C program skip with a message saying where they looked.
 */
public final class CKivalooBinaries {

    public static final String PROPERTY = "kivaloo.c.bin";

    private CKivalooBinaries() {
    }

    /** The directory holding the C programs, if there is one. */
    public static Optional<Path> directory() {
        String configured = System.getProperty(PROPERTY);
        if (configured != null) {
            Path dir = Path.of(configured).toAbsolutePath().normalize();
            return Files.isDirectory(dir) ? Optional.of(dir) : Optional.empty();
        }
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            Path candidate = dir.resolve("shared").resolve("c-kivaloo").resolve("bin");
            if (Files.isDirectory(candidate)) {
                return Optional.of(candidate);
            }
        }
        return Optional.empty();
    }

    /** The C program {@code name} (e.g. {@code kivaloo-kvlds}), if it is there and executable. */
    public static Optional<Path> find(String name) {
        return directory().map(dir -> dir.resolve(name)).filter(Files::isExecutable);
    }

    /** The C program {@code name}, or the calling test is skipped with a message. */
    public static Path require(String name) {
        Optional<Path> program = find(name);
        Assumptions.assumeTrue(program.isPresent(), () -> "C " + name + " not found (looked in "
                + directory().map(Path::toString).orElse("shared/c-kivaloo/bin above " + Path.of("").toAbsolutePath())
                + "; set -D" + PROPERTY + "=<dir>): skipped");
        return program.orElseThrow();
    }
}
