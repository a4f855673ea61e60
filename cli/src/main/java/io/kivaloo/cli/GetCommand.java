package io.kivaloo.cli;

import io.kivaloo.proto.kvlds.Key;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

import java.util.concurrent.Callable;

/** {@code get KEY}: prints the value and a newline; exit 1, printing nothing, if the key is absent. */
@Command(name = "get", mixinStandardHelpOptions = true, description = "Print the value of KEY (exit 1 if absent).")
final class GetCommand implements Callable<Integer> {

    @ParentCommand
    KivalooCli cli;

    @Parameters(index = "0", paramLabel = "KEY")
    String key;

    @Override
    public Integer call() throws CliFailure {
        Key k = cli.key("KEY", key);
        try (Session session = cli.connect()) {
            Key value = session.await(session.client().get(k), "GET");
            if (value == null) {
                return ExitStatus.CONDITION_FALSE;
            }
            cli.out().println(cli.encode(value));
            cli.flush();
            return ExitStatus.DONE;
        }
    }
}
