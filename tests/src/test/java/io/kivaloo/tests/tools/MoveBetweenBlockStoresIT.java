package io.kivaloo.tests.tools;

import io.kivaloo.proto.kvlds.Key;
import io.kivaloo.tests.chain.Chain;
import io.kivaloo.tests.chain.ChainExtension;
import io.kivaloo.tests.chain.DaemonBinaries;
import io.kivaloo.tests.chain.LbsS3Backend;
import io.kivaloo.tests.chain.Role;
import org.gaul.s3proxy.junit.S3ProxyExtension;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A store moves from lbs to lbs-s3 and back with kvlds-dump and
 * kvlds-undump, the way docs/operations.md describes it: stop mux, dump
 * kvlds directly (a point-in-time copy), undump into a chain on the other
 * block store. Every pair arrives, byte for byte, both ways.
 */
class MoveBetweenBlockStoresIT {

    /** Ordered first, so it starts before and stops after the chains. */
    @RegisterExtension
    @Order(0)
    final S3ProxyExtension s3 = LbsS3Backend.proxy();

    @RegisterExtension
    @Order(1)
    final ChainExtension chains = new ChainExtension();

    @TempDir
    Path scratch;

    @Test
    void aStoreMovesFromLbsToLbsS3AndBackWithEveryPair() throws Exception {
        DaemonBinaries onDisk = DaemonBinaries.fromSystemProperties();
        DaemonBinaries onS3 = LbsS3Backend.binaries(s3);
        onDisk.assumeBuilt();
        onS3.assumeBuilt();
        NavigableMap<Key, Key> pairs = DumpFiles.randomPairs(5, 5000, Key.MAX_LENGTH);
        byte[] expected = DumpFiles.expectedStream(pairs);
        String dumpTool = onDisk.root().resolve("bin/kivaloo-kvlds-dump").toString();
        String undumpTool = onDisk.root().resolve("bin/kivaloo-kvlds-undump").toString();

        Chain lbs = chains.start(Chain.builder().binaries(onDisk));
        DumpFiles.load(lbs.connect(Role.MUX), pairs);
        lbs.stop(Role.MUX);
        Path fromLbs = scratch.resolve("from-lbs.dump");
        Files.write(fromLbs, dumped(ToolRun.run(scratch, List.of(dumpTool, "-t", lbs.address(Role.KVLDS).text()))));
        assertThat(Files.readAllBytes(fromLbs)).isEqualTo(expected);

        Chain s3Chain = chains.start(Chain.builder().binaries(onS3));
        loaded(ToolRun.run(scratch, List.of(undumpTool, "-t", s3Chain.address(Role.MUX).text()), fromLbs, Map.of()));
        s3Chain.stop(Role.MUX);
        Path fromS3 = scratch.resolve("from-s3.dump");
        Files.write(fromS3, dumped(ToolRun.run(scratch, List.of(dumpTool, "-t", s3Chain.address(Role.KVLDS).text()))));
        assertThat(Files.readAllBytes(fromS3)).isEqualTo(expected);

        Chain back = chains.start(Chain.builder().binaries(onDisk));
        loaded(ToolRun.run(scratch, List.of(undumpTool, "-t", back.address(Role.MUX).text()), fromS3, Map.of()));
        assertThat(dumped(ToolRun.run(scratch, List.of(dumpTool, "-t", back.address(Role.MUX).text()))))
                .isEqualTo(expected);
    }

    private static byte[] dumped(ToolRun run) {
        assertThat(run.status()).as("%s", run).isZero();
        return run.stdout();
    }

    private static void loaded(ToolRun run) {
        assertThat(run.status()).as("%s", run).isZero();
    }
}
