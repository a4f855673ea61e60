package io.kivaloo.cli;

import io.kivaloo.proto.client.RangeCursor;
import io.kivaloo.proto.kvlds.Key;
import io.kivaloo.proto.kvlds.KvldsResponse;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

import java.io.UncheckedIOException;
import java.util.concurrent.Callable;

/**
 * {@code range [START [END]]}: prints {@code key<TAB>value} for every pair
 * with START <= key < END, in key order, as the answers arrive (stdout is
 * flushed after each), so memory stays constant and a pipe sees pairs at
 * once. START absent or "": from the first key; END absent or "": to the
 * last (in RANGE an empty end means no bound).
 */
@Command(name = "range", mixinStandardHelpOptions = true,
        description = {"Print key<TAB>value for every key in [START, END), in key order, streamed.",
                "START absent: from the first key; END absent or empty: to the last. The output can be fed to load."})
final class RangeCommand implements Callable<Integer> {

    @ParentCommand
    KivalooCli cli;

    /** Output reaches a pipe in pieces of this many lines, so `range | head` sees pairs as they come. */
    private static final long FLUSH_EVERY_LINES = 1000;

    @Parameters(index = "0", arity = "0..1", paramLabel = "START")
    String start;

    @Parameters(index = "1", arity = "0..1", paramLabel = "END")
    String end;

    @Override
    public Integer call() throws CliFailure {
        Key from = start == null ? Key.EMPTY : cli.key("START", start);
        Key to = end == null ? Key.EMPTY : cli.key("END", end);
        try (Session session = cli.connect()) {
            // The client library's cursor: next RANGE in flight, END exclusive, order and progress checked.
            RangeCursor cursor = session.client().withRequestTimeout(session.timeout()).cursor(from, to);
            try {
                long lines = 0;
                while (cursor.hasNext()) {
                    KvldsResponse.Pair pair = cursor.next();
                    cli.out().println(PairLine.format(cli.encoding(), pair.key(), pair.value()));
                    if (++lines % FLUSH_EVERY_LINES == 0) {
                        cli.flush();
                    }
                }
            } catch (UncheckedIOException e) {
                throw new ServerFailureException("RANGE from " + session.address().text() + ": "
                        + e.getCause().getMessage(), e.getCause());
            }
            cli.flush();
            return ExitStatus.DONE;
        }
    }
}
