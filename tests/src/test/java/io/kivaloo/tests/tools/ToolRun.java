package io.kivaloo.tests.tools;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * One run of a foreground tool (ours or the C original's) to its end: exit
 * status, stdout as bytes (a dump is binary) and stderr as text. stdin comes
 * from a file or /dev/null, and output goes to files, not pipes, so a large
 * dump cannot block the tool on a pipe the test does not drain. Also runs
 * the container examples' scripts (containers.ContainerExamplesIT).
 */
public record ToolRun(List<String> command, int status, byte[] stdout, String stderr) {

    private static final long DEADLINE_SECONDS = 300;

    public static ToolRun run(Path scratch, List<String> command) throws IOException, InterruptedException {
        return run(scratch, command, null, Map.of());
    }

    /** Runs {@code command} with stdin from {@code stdin} (null: /dev/null) and extra environment. */
    public static ToolRun run(Path scratch, List<String> command, Path stdin, Map<String, String> environment)
            throws IOException, InterruptedException {
        Path out = Files.createTempFile(scratch, "stdout", ".bin");
        Path err = Files.createTempFile(scratch, "stderr", ".txt");
        ProcessBuilder builder = new ProcessBuilder(command)
                .redirectOutput(out.toFile())
                .redirectError(err.toFile())
                .redirectInput(ProcessBuilder.Redirect.from(stdin != null ? stdin.toFile() : new File("/dev/null")));
        builder.environment().putAll(environment);
        Process process = builder.start();
        if (!process.waitFor(DEADLINE_SECONDS, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new AssertionError(String.join(" ", command) + " did not exit within " + DEADLINE_SECONDS + " s");
        }
        ToolRun run = new ToolRun(List.copyOf(command), process.exitValue(), Files.readAllBytes(out),
                Files.readString(err, StandardCharsets.UTF_8));
        Files.delete(out);
        Files.delete(err);
        return run;
    }

    /** Non-blank lines of stderr. */
    public List<String> errorLines() {
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
        return String.join(" ", command) + ": exit " + status + ", " + stdout.length + " bytes on stdout\n--- stderr\n"
                + stderr;
    }
}
