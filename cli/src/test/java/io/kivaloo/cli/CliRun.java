package io.kivaloo.cli;

import picocli.CommandLine;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** One in-process run of kivaloo-cli: exit status, stdout, stderr. */
record CliRun(int status, String stdout, String stderr) {

    static CliRun run(Map<String, String> environment, Path workingDirectory, String stdin, String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        PrintStream results = new PrintStream(out, false, StandardCharsets.UTF_8);
        KivalooCli cli = new KivalooCli(results, new ByteArrayInputStream(stdin.getBytes(StandardCharsets.UTF_8)),
                environment, workingDirectory);
        CommandLine commandLine = CliCommandLine.create(cli);
        StringWriter help = new StringWriter();
        StringWriter err = new StringWriter();
        commandLine.setOut(new PrintWriter(help));
        commandLine.setErr(new PrintWriter(err));
        int status = commandLine.execute(args);
        results.flush();
        return new CliRun(status, out.toString(StandardCharsets.UTF_8) + help, err.toString());
    }

    static CliRun run(String... args) {
        return run(Map.of(), Path.of("/nonexistent-kivaloo-cli-test"), "", args);
    }

    /** Non-empty lines of stderr. */
    List<String> errorLines() {
        return nonBlankLines(stderr);
    }

    /** The lines of {@code text} that are not blank. */
    static List<String> nonBlankLines(String text) {
        List<String> lines = new ArrayList<>();
        for (String line : text.split("\n")) {
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
