package io.kivaloo.tests.chain;

import org.junit.jupiter.api.Assumptions;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Which programs a chain runs, chosen by system properties so that the same
 * suites run against this project's launchers (the default), the C originals,
 * a mix of both, or another block store:
 *
 * <table>
 *   <tr><th>property</th><th>default</th><th>meaning</th></tr>
 *   <tr><td>kivaloo.root</td><td>the directory above the working directory holding bin/kivaloo-daemon</td>
 *       <td>the repository</td></tr>
 *   <tr><td>kivaloo.bin</td><td>{@code <root>/bin}</td><td>directory of kivaloo-lbs, kivaloo-kvlds, kivaloo-mux</td></tr>
 *   <tr><td>kivaloo.lbs, kivaloo.kvlds, kivaloo.mux</td><td>{@code <bin>/kivaloo-<name>}</td><td>one daemon's executable</td></tr>
 *   <tr><td>kivaloo.blockSize</td><td>4096</td><td>lbs -b</td></tr>
 *   <tr><td>kivaloo.blockstore</td><td>lbs with -b</td><td>a {@link BlockStoreDaemon#fromTemplate command template}
 *       replacing lbs</td></tr>
 * </table>
 */
public record DaemonBinaries(Path root, BlockStoreDaemon blockStore, Path kvlds, Path mux) {

    public static final int DEFAULT_BLOCK_SIZE = 4096;

    /** The programs named by the system properties above. */
    public static DaemonBinaries fromSystemProperties() {
        Path root = repositoryRoot();
        Path bin = Path.of(System.getProperty("kivaloo.bin", root.resolve("bin").toString()));
        Path lbs = Path.of(System.getProperty("kivaloo.lbs", bin.resolve("kivaloo-lbs").toString()));
        Path kvlds = Path.of(System.getProperty("kivaloo.kvlds", bin.resolve("kivaloo-kvlds").toString()));
        Path mux = Path.of(System.getProperty("kivaloo.mux", bin.resolve("kivaloo-mux").toString()));
        int blockSize = Integer.getInteger("kivaloo.blockSize", DEFAULT_BLOCK_SIZE);
        String template = System.getProperty("kivaloo.blockstore", "");
        BlockStoreDaemon store = template.isBlank() ? BlockStoreDaemon.lbs(lbs, blockSize) : BlockStoreDaemon.fromTemplate(template);
        return new DaemonBinaries(root, store, kvlds, mux);
    }

    /** The same programs with another block store. */
    public DaemonBinaries withBlockStore(BlockStoreDaemon store) {
        return new DaemonBinaries(root, store, kvlds, mux);
    }

    /** The executable of {@code role}. */
    public Path executable(Role role) {
        switch (role) {
            case BLOCK_STORE:
                return blockStore.executable();
            case KVLDS:
                return kvlds;
            case MUX:
                return mux;
            default:
                throw new IllegalArgumentException("role " + role);
        }
    }

    /** True when {@code role} runs one of this project's launchers (bin/kivaloo-*), not a foreign daemon. */
    public boolean isOurs(Role role) {
        return executable(role).toAbsolutePath().normalize().startsWith(root.resolve("bin"));
    }

    /**
     * Skips the calling test, with a message saying what to build, when one of
     * this project's daemons has not been packaged. In a reactor build
     * ({@code ./mvnw verify}) they always are: this module depends on them.
     */
    public void assumeBuilt() {
        for (Role role : Role.values()) {
            Path executable = executable(role);
            Assumptions.assumeTrue(Files.isExecutable(executable), () -> "not executable: " + executable);
            if (isOurs(role)) {
                String module = executable.getFileName().toString().replaceFirst("^kivaloo-", "");
                Path jar = root.resolve(module).resolve("target").resolve("kivaloo-" + module + ".jar");
                Assumptions.assumeTrue(Files.isRegularFile(jar),
                        () -> module + " is not built (" + jar + " missing): run ./mvnw -DskipTests package first");
            }
        }
    }

    private static Path repositoryRoot() {
        String configured = System.getProperty("kivaloo.root");
        if (configured != null) {
            return Path.of(configured).toAbsolutePath().normalize();
        }
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            if (Files.isRegularFile(dir.resolve("bin").resolve("kivaloo-daemon"))) {
                return dir;
            }
        }
        throw new IllegalStateException("cannot find the repository (a directory with bin/kivaloo-daemon) above "
                + Path.of("").toAbsolutePath() + "; set -Dkivaloo.root");
    }
}
