package io.kivaloo.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.ParentCommand;

import java.util.concurrent.Callable;

/** {@code params}: the server's limits, one {@code name value} line each. */
@Command(name = "params", mixinStandardHelpOptions = true,
        description = "Print the server's limits: max-key-length and max-value-length, in bytes.")
final class ParamsCommand implements Callable<Integer> {

    @ParentCommand
    KivalooCli cli;

    @Override
    public Integer call() throws CliFailure {
        try (Session session = cli.connect()) {
            Limits limits = session.limits();
            cli.out().println("max-key-length " + limits.maxKeyLength());
            cli.out().println("max-value-length " + limits.maxValueLength());
            cli.flush();
            return ExitStatus.DONE;
        }
    }
}
