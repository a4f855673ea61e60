package io.kivaloo.bench;

import java.net.URISyntaxException;
import java.nio.file.Path;

/** Where the launchers are: the project root, found from bench's jar (bench/target/kivaloo-bench.jar). */
public final class ProjectRoot {

    private ProjectRoot() {
    }

    /** Three levels above bench/target/kivaloo-bench.jar (or bench/target/classes); else the current directory. */
    public static Path find() {
        try {
            Path root = Path.of(ProjectRoot.class.getProtectionDomain().getCodeSource().getLocation().toURI());
            for (int up = 0; up < 3 && root != null; up++) {
                root = root.getParent();
            }
            return root != null ? root : Path.of(".").toAbsolutePath();
        } catch (URISyntaxException | NullPointerException e) {
            // No code source (an unusual class loader): the caller's directory is the best guess.
            return Path.of(".").toAbsolutePath();
        }
    }
}
