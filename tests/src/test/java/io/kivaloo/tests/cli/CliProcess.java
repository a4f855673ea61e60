package io.kivaloo.tests.cli;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Runs {@code bin/kivaloo-cli} as a process, the way a user or a script
 * does: arguments, stdin from a file (or /dev/null), environment and working
 * directory chosen by the test; stdout and stderr go to files (no pipe can
 * fill and block the process). {@code KIVALOO_ADDRESS} is removed from the
 * inherited environment unless the test sets it, so only what the test says
 * picks the address.
 */
final class CliProcess {

    private static final long DEADLINE_SECONDS = 180;

    private final Path executable;
    private final Path directory;
    private final Map<String, String> environment = new HashMap<>();
    private Path workingDirectory;
    private Path stdin;

    CliProcess(Path root, Path directory) {
        this.executable = root.resolve("bin/kivaloo-cli");
        this.directory = directory;
        this.workingDirectory = directory;
    }

    CliProcess environment(String name, String value) {
        environment.put(name, value);
        return this;
    }

    CliProcess workingDirectory(Path workingDirectory) {
        this.workingDirectory = workingDirectory;
        return this;
    }

    /** stdin for the next runs; null for /dev/null. */
    CliProcess stdin(Path stdin) {
        this.stdin = stdin;
        return this;
    }

    Result run(String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>();
        command.add(executable.toString());
        command.addAll(List.of(args));
        Path out = Files.createTempFile(directory, "cli-stdout", ".txt");
        Path err = Files.createTempFile(directory, "cli-stderr", ".txt");
        ProcessBuilder builder = new ProcessBuilder(command)
                .directory(workingDirectory.toFile())
                .redirectOutput(out.toFile())
                .redirectError(err.toFile())
                .redirectInput(stdin == null ? new File("/dev/null") : stdin.toFile());
        builder.environment().remove("KIVALOO_ADDRESS");
        builder.environment().putAll(environment);
        Process process = builder.start();
        if (!process.waitFor(DEADLINE_SECONDS, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new AssertionError(String.join(" ", command) + " did not exit within " + DEADLINE_SECONDS + " s");
        }
        Result result = new Result(String.join(" ", args), process.exitValue(),
                Files.readString(out, StandardCharsets.UTF_8), Files.readString(err, StandardCharsets.UTF_8));
        Files.delete(out);
        Files.delete(err);
        return result;
    }

    /** One run: exit status, stdout, stderr. */
    record Result(String args, int status, String stdout, String stderr) {

        /** Non-empty lines of stderr. */
        List<String> errorLines() {
            return lines(stderr);
        }

        /** Lines of stdout. */
        List<String> outputLines() {
            return lines(stdout);
        }

        private static List<String> lines(String text) {
            List<String> lines = new ArrayList<>();
            for (String line : text.split("\n")) {
                if (!line.isEmpty()) {
                    lines.add(line);
                }
            }
            return lines;
        }

        @Override
        public String toString() {
            return "kivaloo-cli " + args + ": exit " + status + "\n--- stdout\n" + stdout + "--- stderr\n" + stderr;
        }
    }
}
