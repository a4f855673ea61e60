package io.kivaloo.tools.dump;

import io.kivaloo.proto.client.KvldsClient;
import io.kivaloo.proto.daemon.DaemonCommandLine;
import io.kivaloo.proto.daemon.VersionProvider;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.util.concurrent.Callable;

/**
 * {@code kivaloo-kvlds-dump -t <kvlds socket> [--fs <dir>] [-v]}: writes every
 * pair of a store, in key order, to stdout or a directory tree. Exit 0 when
 * the whole store was written, 1 on a connection, RANGE or write failure
 * (one line on stderr), 2 on a usage error.
 */
@Command(name = "kivaloo-kvlds-dump", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
        sortOptions = false,
        description = {"Write every key-value pair of a kvlds (directly or through mux) to stdout as "
                + "[klen][key][vlen][value]..., or with --fs as numbered directories holding files k and v.",
                "Exit status: 0 done, 1 connection, RANGE or write failure, 2 usage error."})
public final class KvldsDump implements Callable<Integer> {

    static final String NAME = "kivaloo-kvlds-dump";

    @Mixin
    DumpOptions options;

    private final PrintStream err;
    private final boolean terminal;

    /**
     * @param err      where errors, progress and the summary go
     * @param terminal stderr is a terminal (the launcher tells): show progress
     */
    KvldsDump(PrintStream err, boolean terminal) {
        this.err = err;
        this.terminal = terminal;
    }

    public static void main(String[] args) {
        System.exit(DaemonCommandLine.execute(NAME, new KvldsDump(System.err, ToolLauncher.stderrIsTerminal()), args));
    }

    @Override
    public Integer call() {
        try {
            return dump();
        } catch (IOException e) {
            err.println(NAME + ": " + e.getMessage());
            return 1;
        }
    }

    private int dump() throws IOException {
        // Check the directory before connecting: a typo must not cost a connection to a busy kvlds.
        PairSink sink = options.directory == null
                ? new StreamPairWriter(new FileOutputStream(FileDescriptor.out))
                : DirectoryPairWriter.open(options.directory);
        try (sink; KvldsClient client = Completion.await(KvldsClient.connect(options.target));
             Progress progress = new Progress("Dumped", err, terminal)) {
            new DumpScan(client, progress).copyTo(sink);
            sink.close(); // the last buffered pairs reach stdout before the summary claims them
            progress.close();
            if (options.summary()) {
                err.print(progress.summaryLine());
            }
        }
        return 0;
    }
}
