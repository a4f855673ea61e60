package io.kivaloo.tools.dump;

import io.kivaloo.proto.daemon.AddressConverter;
import io.kivaloo.proto.net.KivalooAddress;
import picocli.CommandLine.Option;

import java.nio.file.Path;

/** The options kvlds-dump and kvlds-undump share, the original's (mux.md §3-4). */
final class DumpOptions {

    @Option(names = "-t", required = true, paramLabel = "<kvlds socket>", converter = AddressConverter.class,
            description = "kvlds or mux to connect to: /unix/path, host:port or [ip]:port.")
    KivalooAddress target;

    @Option(names = "--fs", paramLabel = "<dir>",
            description = "Pairs as directories <dir>/%%016x/{k,v} instead of the binary stream on stdin/stdout; "
                    + "<dir> must exist.")
    Path directory;

    /**
     * The original declares {@code -v} with an argument ({@code -v x}) and
     * does not document it; both {@code -v} and {@code -v x} work here.
     */
    @Option(names = {"-v", "--verbose"}, arity = "0..1", fallbackValue = "", paramLabel = "<ignored>",
            description = "Print a summary line on stderr at the end (the original's -v x is accepted too).")
    String verbose;

    boolean summary() {
        return verbose != null;
    }
}
