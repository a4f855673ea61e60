package io.kivaloo.proto.daemon;

import picocli.CommandLine;

import java.io.PrintWriter;

/**
 * Parses a daemon's command line and runs it, with the original's error
 * style: a usage error is one line {@code <name>: <problem>} (an unknown
 * option reads {@code <name>: illegal option -- <option>}), then a pointer to
 * {@code --help}, and exit status 2.
 */
public final class DaemonCommandLine {

    public static final int EXIT_USAGE = CommandLine.ExitCode.USAGE;

    private DaemonCommandLine() {
    }

    /** Returns the exit status; {@code main} passes it to {@code System.exit}. */
    public static int execute(String name, Object command, String... args) {
        CommandLine commandLine = new CommandLine(command);
        commandLine.setParameterExceptionHandler((e, ignored) -> {
            PrintWriter err = e.getCommandLine().getErr();
            err.println(name + ": " + describe(e));
            err.println("Try '" + e.getCommandLine().getCommandName() + " --help' for more information.");
            err.flush();
            return EXIT_USAGE;
        });
        commandLine.setExecutionExceptionHandler((e, cl, parsed) -> {
            PrintWriter err = cl.getErr();
            err.println(name + ": " + e);
            err.flush();
            return 1;
        });
        return commandLine.execute(args);
    }

    private static String describe(CommandLine.ParameterException e) {
        if (e instanceof CommandLine.UnmatchedArgumentException) {
            CommandLine.UnmatchedArgumentException u = (CommandLine.UnmatchedArgumentException) e;
            if (!u.getUnmatched().isEmpty()) {
                String first = u.getUnmatched().get(0);
                return first.startsWith("-") ? "illegal option -- " + first : "unexpected argument '" + first + "'";
            }
        }
        return e.getMessage();
    }
}
