package io.kivaloo.cli;

import io.kivaloo.proto.kvlds.Key;
import picocli.CommandLine.Command;
import picocli.CommandLine.ParentCommand;

import java.util.concurrent.Callable;

/**
 * {@code load}: stores every {@code key<TAB>value} line of stdin with SET,
 * pipelined ({@link PipelinedLoad}), and prints {@code loaded N pairs}. A
 * line that cannot be sent (malformed, or over the server's limits) stops
 * the load: the SETs of the lines before it complete first, then the line is
 * reported with its number, exit 2; nothing after it is sent.
 */
@Command(name = "load", mixinStandardHelpOptions = true,
        description = {"Store every key<TAB>value line of stdin (range's output format), pipelined; "
                + "print the count at the end.",
                "A line that cannot be sent stops the load after the lines before it are stored (exit 2)."})
final class LoadCommand implements Callable<Integer> {

    @ParentCommand
    KivalooCli cli;

    @Override
    public Integer call() throws CliFailure {
        LineReader lines = new LineReader(cli.in());
        try (Session session = cli.connect()) {
            Limits limits = session.limits();
            PipelinedLoad load = new PipelinedLoad(session);
            BadInputException refused = null;
            try {
                for (String line = lines.next(); line != null; line = lines.next()) {
                    byte[][] pair = PairLine.parse(cli.encoding(), line);
                    Key key = limits.key("key", pair[0]);
                    Key value = limits.value("value", pair[1]);
                    load.send(key, value);
                }
            } catch (BadInputException e) {
                refused = e;
            }
            // Whatever stopped the input, the SETs already sent finish (or fail) before anything is reported.
            long stored = load.finish();
            if (refused != null) {
                throw new BadInputException("line " + lines.lineNumber() + ": " + refused.getMessage()
                        + "; the " + stored + " pairs before it are stored");
            }
            cli.out().println("loaded " + stored + " pairs");
            cli.flush();
            return ExitStatus.DONE;
        }
    }
}
