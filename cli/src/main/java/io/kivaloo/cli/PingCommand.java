package io.kivaloo.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.ParentCommand;

import java.util.Locale;
import java.util.concurrent.Callable;

/**
 * {@code ping}: times one PARAMS round trip on an open connection (the
 * cheapest request, answered without touching the tree), and prints
 * {@code pong from <address> in 0.123 ms}. Connecting is not timed, nor is
 * a first PARAMS that pays for class loading and JIT warm-up in this
 * short-lived JVM (it took about 100 ms where the round trip takes 0.2).
 */
@Command(name = "ping", mixinStandardHelpOptions = true, description = "Time one round trip to the server.")
final class PingCommand implements Callable<Integer> {

    @ParentCommand
    KivalooCli cli;

    @Override
    public Integer call() throws CliFailure {
        try (Session session = cli.connect()) {
            session.await(session.client().params(), "PARAMS");
            long started = System.nanoTime();
            session.await(session.client().params(), "PARAMS");
            long nanos = System.nanoTime() - started;
            cli.out().println(String.format(Locale.ROOT, "pong from %s in %.3f ms", session.address().text(), nanos / 1e6));
            cli.flush();
            return ExitStatus.DONE;
        }
    }
}
