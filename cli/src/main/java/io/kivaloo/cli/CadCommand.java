package io.kivaloo.cli;

import io.kivaloo.proto.kvlds.Key;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

import java.util.concurrent.Callable;

/** {@code cad KEY OLD}: removes the key only if its value is OLD; exit 1 if not (or absent). */
@Command(name = "cad", mixinStandardHelpOptions = true,
        description = "Remove KEY if its value is OLD (exit 1 if not, or absent).")
final class CadCommand implements Callable<Integer> {

    @ParentCommand
    KivalooCli cli;

    @Parameters(index = "0", paramLabel = "KEY")
    String key;

    @Parameters(index = "1", paramLabel = "OLD")
    String oldValue;

    @Override
    public Integer call() throws CliFailure {
        Key k = cli.key("KEY", key);
        Key old = cli.value("OLD", oldValue);
        try (Session session = cli.connect()) {
            boolean deleted = session.await(session.client().cad(k, old), "CAD");
            return deleted ? ExitStatus.DONE : ExitStatus.CONDITION_FALSE;
        }
    }
}
