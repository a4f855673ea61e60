package io.kivaloo.tests.operations;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * One run of a launcher that is expected to end by itself (--help, --version,
 * a usage or start-up error): exit status, stdout and stderr. Output goes to
 * files, not pipes, so that a daemon which unexpectedly starts (and inherits
 * them) cannot block the test; such a daemon is killed through its pid file.
 */
record LauncherRun(int status, String stdout, String stderr) {

    private static final long DEADLINE_SECONDS = 180;

    static LauncherRun run(Path directory, List<String> command) throws IOException, InterruptedException {
        Path out = Files.createTempFile(directory, "stdout", ".txt");
        Path err = Files.createTempFile(directory, "stderr", ".txt");
        Path pidFile = directory.resolve("unexpected-" + System.nanoTime() + ".pid");
        List<String> full = new ArrayList<>(command);
        boolean startsDaemon = command.stream().noneMatch(a -> a.equals("--help") || a.equals("--version"));
        if (startsDaemon) {
            full.add("-p");
            full.add(pidFile.toString());
        }
        Process process = new ProcessBuilder(full)
                .redirectOutput(out.toFile())
                .redirectError(err.toFile())
                .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")))
                .start();
        if (!process.waitFor(DEADLINE_SECONDS, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new AssertionError(String.join(" ", command) + " did not exit within " + DEADLINE_SECONDS + " s");
        }
        if (Files.exists(pidFile)) {
            Optional<ProcessHandle> daemon = ProcessHandle.of(Long.parseLong(Files.readString(pidFile).trim()));
            daemon.ifPresent(ProcessHandle::destroyForcibly);
        }
        return new LauncherRun(process.exitValue(), Files.readString(out, StandardCharsets.UTF_8),
                Files.readString(err, StandardCharsets.UTF_8));
    }

    /** Non-empty lines of stderr. */
    List<String> errorLines() {
        List<String> lines = new ArrayList<>();
        for (String line : stderr.split("\n")) {
            if (!line.isBlank()) {
                lines.add(line);
            }
        }
        return lines;
    }

    @Override
    public String toString() {
        return "exit " + status + "\n--- stdout\n" + stdout + "--- stderr\n" + stderr;
    }
}
