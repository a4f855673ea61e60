package io.kivaloo.cli;

import io.kivaloo.proto.kvlds.Key;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

import java.util.concurrent.Callable;

/** {@code delete KEY}: removes the key; exit 0 whether or not it was present (DELETE does not tell). */
@Command(name = "delete", mixinStandardHelpOptions = true, description = "Remove KEY (exit 0 even if absent).")
final class DeleteCommand implements Callable<Integer> {

    @ParentCommand
    KivalooCli cli;

    @Parameters(index = "0", paramLabel = "KEY")
    String key;

    @Override
    public Integer call() throws CliFailure {
        Key k = cli.key("KEY", key);
        try (Session session = cli.connect()) {
            session.await(session.client().delete(k), "DELETE");
            return ExitStatus.DONE;
        }
    }
}
