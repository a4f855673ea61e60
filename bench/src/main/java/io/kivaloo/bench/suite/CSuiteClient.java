package io.kivaloo.bench.suite;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The original C bench programs as the client (validation that our client
 * reproduces their figures). Their windows are fixed at 50 s + 10/100 s.
 */
final class CSuiteClient implements SuiteClient {

    private final Path bin;

    CSuiteClient(Path bin) {
        this.bin = bin;
    }

    @Override
    public String name() {
        return "C bench";
    }

    @Override
    public List<String> run(Workload workload, Path socket, long count, Path pairs) throws IOException {
        List<String> command = new ArrayList<>(List.of(bin.resolve(workload.cProgram).toString(), socket.toString()));
        if (workload.takesCount) {
            command.add(Long.toString(count));
        }
        ProcessBuilder builder = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.INHERIT);
        if (workload == Workload.BULK_INSERT || workload == Workload.BULK_UPDATE) {
            builder.redirectInput(pairs.toFile()); // bulk_update rewinds: it needs a file, not a pipe
        } else {
            builder.redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
        }
        Process process = builder.start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.US_ASCII);
        int status;
        try {
            status = process.waitFor();
        } catch (InterruptedException e) {
            process.destroy();
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while running " + workload.cProgram, e);
        }
        if (status != 0) {
            throw new IOException(workload.cProgram + " exited with status " + status);
        }
        return output.lines().filter(l -> !l.isBlank()).toList();
    }
}
