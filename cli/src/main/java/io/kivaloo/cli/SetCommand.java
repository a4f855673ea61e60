package io.kivaloo.cli;

import io.kivaloo.proto.kvlds.Key;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

import java.util.concurrent.Callable;

/** {@code set KEY VALUE}: stores the pair whether or not the key was present. */
@Command(name = "set", mixinStandardHelpOptions = true, description = "Store VALUE under KEY.")
final class SetCommand implements Callable<Integer> {

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
            session.await(session.client().set(k, v), "SET");
            return ExitStatus.DONE;
        }
    }
}
