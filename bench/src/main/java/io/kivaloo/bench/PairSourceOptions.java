package io.kivaloo.bench;

import io.kivaloo.bench.data.ChannelPairInput;
import io.kivaloo.bench.data.GeneratedPairInput;
import io.kivaloo.bench.data.PairInput;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.nio.file.Path;

/**
 * Where bulk-insert and bulk-update take their pairs: standard input (as the C
 * programs, e.g. {@code kivaloo-bench mkpairs N | kivaloo-bench bulk-insert SOCK}),
 * a file in mkpairs format, or generated in-process.
 */
public final class PairSourceOptions {

    @ArgGroup(exclusive = true)
    Source source;

    static final class Source {
        @Option(names = {"-i", "--pairs"}, paramLabel = "<file>", description = "Read pairs from this file (mkpairs format) instead of standard input.")
        Path file;

        @Option(names = {"-g", "--generate"}, paramLabel = "<N>", description = "Generate the pairs of 'mkpairs N' in-process instead of reading them.")
        Long generate;
    }

    public PairInput open() throws IOException {
        if (source != null && source.file != null) {
            return ChannelPairInput.open(source.file);
        }
        if (source != null && source.generate != null) {
            return new GeneratedPairInput(source.generate);
        }
        return ChannelPairInput.standardInput();
    }
}
