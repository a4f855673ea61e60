package io.kivaloo.cli;

import io.kivaloo.proto.kvlds.Key;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

import java.util.concurrent.Callable;

/** {@code add KEY VALUE}: stores the pair only if the key is absent; exit 1 if it was present. */
@Command(name = "add", mixinStandardHelpOptions = true,
        description = "Store VALUE under KEY if KEY is absent (exit 1 if present).")
final class AddCommand implements Callable<Integer> {

    @ParentCommand
    KivalooCli cli;

    @Parameters(index = "0", paramLabel = "KEY")
    String key;

    @Parameters(index = "1", paramLabel = "VALUE")
    String value;

    @Override
    public Integer call() throws CliFailure {
        Key k = cli.key("KEY", key);
        Key v = cli.value("VALUE", value);
        try (Session session = cli.connect()) {
            session.limits().checkStored("KEY", k, "VALUE", v);
            boolean added = session.await(session.client().add(k, v), "ADD");
            return added ? ExitStatus.DONE : ExitStatus.CONDITION_FALSE;
        }
    }
}
