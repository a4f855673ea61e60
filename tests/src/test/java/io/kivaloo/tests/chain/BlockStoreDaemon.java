package io.kivaloo.tests.chain;

import io.kivaloo.proto.net.KivalooAddress;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The block-store daemon of a chain: any daemon that speaks the LBS protocol
 * (lbs, or lbs-s3: {@link S3BlockStore}). The chain only needs its command line for a
 * given listening address and a fresh data directory of its own; the chain
 * adds {@code -p <pidfile>} and expects the original daemon conventions
 * (wire.md §6): the command returns once the daemon listens, with its pid in
 * the pid file, exit status 1 on start-up failure.
 *
 * <p>{@link #fromTemplate} turns a command line with placeholders into a block
 * store, which is how the suites are pointed at another backend from the
 * Maven command line ({@code -Dkivaloo.blockstore=...}, see tests/README.md).
 */
public interface BlockStoreDaemon {

    /** Placeholder for the listening address in a template. */
    String ADDRESS = "{address}";
    /** Placeholder for the block store's own data directory in a template (created empty by the chain). */
    String DIRECTORY = "{dir}";

    /** A short name for messages and test names. */
    String name();

    /** The command that starts the daemon listening on {@code address}, storing in {@code dataDirectory}; no -p. */
    List<String> command(KivalooAddress address, Path dataDirectory);

    /** The executable started; the chain uses it to tell this project's launchers from foreign daemons. */
    Path executable();

    /** Environment variables the daemon needs beside the chain's (lbs-s3: its S3 credentials and region). */
    default Map<String, String> environment() {
        return Map.of();
    }

    /** lbs (ours or the C original) with {@code -b blockSize} and any extra options. */
    static BlockStoreDaemon lbs(Path executable, int blockSize, String... extraOptions) {
        List<String> template = new ArrayList<>(List.of(executable.toString(), "-s", ADDRESS, "-d", DIRECTORY,
                "-b", Integer.toString(blockSize)));
        template.addAll(List.of(extraOptions));
        return new Template("lbs", template);
    }

    /**
     * A block store from a command template: words separated by white space,
     * the first the executable; {@value #ADDRESS} and {@value #DIRECTORY} are
     * replaced wherever they occur. Example:
     * {@code /opt/kivaloo/bin/kivaloo-lbs-s3 -s {address} -b 4096 -B bucket --region us-east-1}.
     */
    static BlockStoreDaemon fromTemplate(String template) {
        List<String> words = List.of(template.trim().split("\\s+"));
        if (words.isEmpty() || words.get(0).isEmpty()) {
            throw new IllegalArgumentException("empty block-store command template");
        }
        if (words.stream().noneMatch(w -> w.contains(ADDRESS))) {
            throw new IllegalArgumentException("block-store command template must contain " + ADDRESS + ": " + template);
        }
        return new Template(Path.of(words.get(0)).getFileName().toString(), words);
    }

    /** A block store given as a command template. */
    record Template(String name, List<String> words) implements BlockStoreDaemon {

        public Template {
            words = List.copyOf(words);
        }

        @Override
        public List<String> command(KivalooAddress address, Path dataDirectory) {
            List<String> command = new ArrayList<>(words.size());
            for (String word : words) {
                command.add(word.replace(ADDRESS, address.text()).replace(DIRECTORY, dataDirectory.toString()));
            }
            return command;
        }

        @Override
        public Path executable() {
            return Path.of(words.get(0));
        }

        @Override
        public String toString() {
            return String.join(" ", words);
        }
    }
}
