package io.kivaloo.cli;

import picocli.CommandLine;

import java.io.PrintWriter;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The picocli command line of kivaloo-cli with its failure paths, one per
 * exit status: a usage error is {@code kivaloo-cli: <problem>} and a pointer
 * to {@code --help}, exit 2; a {@link CliFailure} is one line with its
 * message and its status; anything else is a bug, reported on one line with
 * exit 3. Every command's {@code --help} lists the exit statuses.
 */
final class CliCommandLine {

    static final String EXIT_HEADING = "%nExit status:%n";

    /** Status (as text, as picocli's list takes it) to meaning, in the order --help shows them. */
    static Map<String, String> exitStatuses() {
        Map<String, String> statuses = new LinkedHashMap<>();
        statuses.put(Integer.toString(ExitStatus.DONE), "done");
        statuses.put(Integer.toString(ExitStatus.CONDITION_FALSE), "the condition was false: GET, MODIFY or CAD "
                + "of an absent key, ADD of a present one, a CAS or CAD whose OLD did not match");
        statuses.put(Integer.toString(ExitStatus.USAGE), "usage error: a bad option or argument, text the encoding "
                + "rejects, a key or value over the server's limits (nothing was sent)");
        statuses.put(Integer.toString(ExitStatus.FAILURE), "no connection, a timeout, the connection failed "
                + "(a protocol error), or stdout or stdin failed; one line on stderr");
        return statuses;
    }

    private CliCommandLine() {
    }

    static CommandLine create(KivalooCli cli) {
        CommandLine commandLine = new CommandLine(cli);
        // Keys and values may start with '-' ("set n -1"): only declared options are options.
        commandLine.setUnmatchedOptionsArePositionalParams(true);
        exitStatusList(commandLine);
        commandLine.setParameterExceptionHandler(CliCommandLine::usageError);
        commandLine.setExecutionExceptionHandler((e, cl, parsed) -> failure(e, cl));
        return commandLine;
    }

    private static void exitStatusList(CommandLine commandLine) {
        commandLine.getCommandSpec().usageMessage().exitCodeListHeading(EXIT_HEADING).exitCodeList(exitStatuses());
        for (CommandLine sub : commandLine.getSubcommands().values()) {
            exitStatusList(sub);
        }
    }

    private static int usageError(CommandLine.ParameterException e, String[] args) {
        PrintWriter err = e.getCommandLine().getErr();
        err.println(KivalooCli.NAME + ": " + e.getMessage());
        err.println("Try '" + e.getCommandLine().getCommandSpec().qualifiedName() + " --help' for more information.");
        err.flush();
        return ExitStatus.USAGE;
    }

    private static int failure(Exception e, CommandLine commandLine) {
        PrintWriter err = commandLine.getErr();
        int status;
        if (e instanceof CliFailure) {
            err.println(KivalooCli.NAME + ": " + e.getMessage());
            status = ((CliFailure) e).exitStatus();
        } else {
            err.println(KivalooCli.NAME + ": internal error: " + e);
            status = ExitStatus.FAILURE;
        }
        err.flush();
        return status;
    }
}
