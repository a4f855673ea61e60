package io.kivaloo.proto.daemon;

import picocli.CommandLine.Option;

/** The {@code -1} option of lbs, kvlds and perf: exit once the first connection is finished. */
public final class SingleConnectionOption {

    @Option(names = {"-1", "--single-connection"}, description = "Exit after the first connection has been served.")
    boolean single;

    public boolean single() {
        return single;
    }
}
