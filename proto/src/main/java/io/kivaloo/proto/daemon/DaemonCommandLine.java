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
        return commandLine(name, command).execute(args);
    }

    /**
     * The picocli command line {@link #execute} runs, with the error handlers
     * installed; for callers (tests) that redirect its output with
     * {@link CommandLine#setErr} before executing.
     */
    public static CommandLine commandLine(String name, Object command) {
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
        return commandLine;
    }

    private static String describe(CommandLine.ParameterException e) {
        // getopt stops at the first unknown option, so the original reports it
        // before anything else (a missing required option, say); picocli
        // validates those first and keeps the unknown ones aside.
        for (String unmatched : e.getCommandLine().getUnmatchedArguments()) {
            if (unmatched.startsWith("-")) {
                return "illegal option -- " + unmatched;
            }
        }
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
