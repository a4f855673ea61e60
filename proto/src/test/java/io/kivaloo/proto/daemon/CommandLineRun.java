package io.kivaloo.proto.daemon;

import picocli.CommandLine;

import java.io.PrintWriter;
import java.io.StringWriter;

/**
 * One run of a command line through {@link DaemonCommandLine}, with what it
 * printed captured: for the tests of every daemon's and tool's options.
 */
public record CommandLineRun(int status, String out, String err) {

    /** Runs {@code command} as {@code name} (the name usage errors start with) on {@code args}. */
    public static CommandLineRun execute(String name, Object command, String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine commandLine = DaemonCommandLine.commandLine(name, command);
        commandLine.setOut(new PrintWriter(out, true));
        commandLine.setErr(new PrintWriter(err, true));
        int status = commandLine.execute(args);
        return new CommandLineRun(status, out.toString(), err.toString());
    }
}
