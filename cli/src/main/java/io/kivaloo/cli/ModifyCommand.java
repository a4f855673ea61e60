package io.kivaloo.cli;

import io.kivaloo.proto.kvlds.Key;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

import java.util.concurrent.Callable;

/** {@code modify KEY VALUE}: replaces the value only if the key is present; exit 1 if it was absent. */
@Command(name = "modify", mixinStandardHelpOptions = true,
        description = "Store VALUE under KEY if KEY is present (exit 1 if absent).")
final class ModifyCommand implements Callable<Integer> {

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
            boolean modified = session.await(session.client().modify(k, v), "MODIFY");
            return modified ? ExitStatus.DONE : ExitStatus.CONDITION_FALSE;
        }
    }
}
