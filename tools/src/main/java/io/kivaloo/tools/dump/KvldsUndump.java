package io.kivaloo.tools.dump;

import io.kivaloo.proto.client.KvldsClient;
import io.kivaloo.proto.daemon.DaemonCommandLine;
import io.kivaloo.proto.daemon.VersionProvider;
import io.kivaloo.proto.kvlds.KvldsResponse;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

import java.io.FileDescriptor;
import java.io.FileInputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.util.concurrent.Callable;

/**
 * {@code kivaloo-kvlds-undump -t <kvlds socket> [--fs <dir>] [-v]}: stores
 * every pair of a dump (stdin, or a directory tree) with pipelined SETs.
 * Exit 0 only when every pair was stored; 1 on a connection failure, a
 * failed SET, a malformed or truncated dump or a pair over the server's
 * limits (one line on stderr); 2 on a usage error.
 */
@Command(name = "kivaloo-kvlds-undump", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
        sortOptions = false,
        description = {"Store every key-value pair of a dump read from stdin ([klen][key][vlen][value]...), "
                + "or with --fs from numbered directories holding files k and v, into a kvlds (directly or "
                + "through mux).",
                "Exit status: 0 every pair stored, 1 connection failure, failed SET, bad dump or a pair over "
                        + "the server's limits, 2 usage error."})
public final class KvldsUndump implements Callable<Integer> {

    static final String NAME = "kivaloo-kvlds-undump";

    @Mixin
    DumpOptions options;

    private final PrintStream err;
    private final boolean terminal;

    KvldsUndump(PrintStream err, boolean terminal) {
        this.err = err;
        this.terminal = terminal;
    }

    public static void main(String[] args) {
        System.exit(DaemonCommandLine.execute(NAME, new KvldsUndump(System.err, ToolLauncher.stderrIsTerminal()),
                args));
    }

    @Override
    public Integer call() {
        try {
            return undump();
        } catch (IOException e) {
            err.println(NAME + ": " + e.getMessage());
            return 1;
        }
    }

    private int undump() throws IOException {
        PairSource source = options.directory == null
                ? new StreamPairReader(new FileInputStream(FileDescriptor.in))
                : DirectoryPairReader.open(options.directory);
        try (source; KvldsClient client = Completion.await(KvldsClient.connect(options.target));
             Progress progress = new Progress("Stored", err, terminal)) {
            KvldsResponse.Params limits = Completion.await(client.limits());
            new PipelinedLoader(client, limits, progress).load(source);
            progress.close();
            if (options.summary()) {
                err.print(progress.summaryLine());
            }
        }
        return 0;
    }
}
