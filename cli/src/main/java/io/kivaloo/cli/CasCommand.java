package io.kivaloo.cli;

import io.kivaloo.proto.kvlds.Key;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

import java.util.concurrent.Callable;

/**
 * {@code cas KEY OLD NEW}: replaces the value with NEW only if it is OLD;
 * exit 1 if it was not (or the key was absent). OLD only has the wire's
 * limit, as on the server, which does not check it (kvlds.md §2).
 */
@Command(name = "cas", mixinStandardHelpOptions = true,
        description = "Store NEW under KEY if its value is OLD (exit 1 if not, or absent).")
final class CasCommand implements Callable<Integer> {

    @ParentCommand
    KivalooCli cli;

    @Parameters(index = "0", paramLabel = "KEY")
    String key;

    @Parameters(index = "1", paramLabel = "OLD")
    String oldValue;

    @Parameters(index = "2", paramLabel = "NEW")
    String newValue;

    @Override
    public Integer call() throws CliFailure {
        Key k = cli.key("KEY", key);
        Key old = cli.value("OLD", oldValue);
        Key v = cli.value("NEW", newValue);
        try (Session session = cli.connect()) {
            session.limits().checkStored("KEY", k, "NEW", v);
            boolean swapped = session.await(session.client().cas(k, old, v), "CAS");
            return swapped ? ExitStatus.DONE : ExitStatus.CONDITION_FALSE;
        }
    }
}
