package io.kivaloo.tests.badinput;

import io.kivaloo.proto.client.BlockingKvldsClient;
import io.kivaloo.proto.kvlds.Key;
import io.kivaloo.proto.kvlds.KvldsCodec;
import io.kivaloo.proto.kvlds.KvldsRequest;
import io.kivaloo.proto.lbs.LbsCodec;
import io.kivaloo.proto.lbs.LbsRequest;
import io.kivaloo.proto.wire.Frames;
import io.kivaloo.proto.wire.RawConnection;
import io.kivaloo.tests.chain.Chain;
import io.kivaloo.tests.chain.ChainExtension;
import io.kivaloo.tests.chain.DaemonBinaries;
import io.kivaloo.tests.chain.Role;
import io.kivaloo.tests.chain.Wiring;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Misbehaving clients against each daemon of a running chain: packets with a
 * bad header or trailer CRC, a header announcing a 4 GiB record, unknown
 * request types, malformed and empty records, half a packet then a hang-up,
 * a thousand pipelined requests then a hang-up. Each bad connection must be
 * closed by the server (where the protocol says so) and afterwards the chain
 * must serve well-behaved clients with all their data.
 *
 * <p>lbs and kvlds serve one connection at a time, so the daemons in front of
 * the one attacked are stopped (SIGTERM) first and restarted afterwards.
 * With {@code -Dkivaloo.originalQuirks=true} the cases where the C originals
 * fall short by design (README of shared/c-kivaloo) are skipped.
 */
class BadInputIT {

    /** How long a server may take to close a bad connection on a busy machine. */
    private static final Duration CLOSE_DEADLINE = Duration.ofSeconds(60);
    private static final int CANARIES = 200;
    private static final boolean ORIGINAL_QUIRKS = Boolean.getBoolean("kivaloo.originalQuirks");

    @RegisterExtension
    final ChainExtension chains = new ChainExtension();

    @Test
    void muxDropsBadClientsAndKeepsServingOthers() throws Exception {
        DaemonBinaries.fromSystemProperties().assumeBuilt();
        Chain chain = chains.start(Chain.builder().wiring(Wiring.UNIX));
        writeCanaries(chain);
        BlockingKvldsClient bystander = chain.client();
        List<String> failures = new ArrayList<>();
        for (Garbage garbage : Garbage.values()) {
            if (ORIGINAL_QUIRKS && garbage.reachesKvldsThroughTheCMux()) {
                continue;
            }
            attack(chain.address(Role.MUX), garbage, kvldsRecords(), failures);
            // The bystander's connection was never disturbed.
            Key key = Key.of("bystander-" + garbage);
            bystander.set(key, Key.of("ok"));
            assertThat(bystander.get(key)).as("bystander after " + garbage).isEqualTo(Key.of("ok"));
        }
        assertThat(failures).isEmpty();
        checkCanaries(chain);
    }

    @Test
    void kvldsDropsBadConnectionsAndServesTheNext() throws Exception {
        DaemonBinaries.fromSystemProperties().assumeBuilt();
        Chain chain = chains.start(Chain.builder().wiring(Wiring.TCP));
        writeCanaries(chain);
        chain.stop(Role.MUX);
        List<String> failures = new ArrayList<>();
        for (Garbage garbage : Garbage.values()) {
            attack(chain.address(Role.KVLDS), garbage, kvldsRecords(), failures);
        }
        assertThat(failures).isEmpty();
        chain.start(Role.MUX);
        checkCanaries(chain);
    }

    @Test
    void blockStoreDropsBadConnectionsAndServesKvldsAgain() throws Exception {
        DaemonBinaries.fromSystemProperties().assumeBuilt();
        Chain chain = chains.start(Chain.builder().wiring(Wiring.UNIX));
        writeCanaries(chain);
        chain.stop(Role.MUX);
        chain.stop(Role.KVLDS);
        List<String> failures = new ArrayList<>();
        for (Garbage garbage : Garbage.values()) {
            attack(chain.address(Role.BLOCK_STORE), garbage, lbsRecords(), failures);
        }
        assertThat(failures).isEmpty();
        chain.start(Role.KVLDS);
        chain.start(Role.MUX);
        checkCanaries(chain);
    }

    /** One bad connection; adds a line to {@code failures} if the server did not react as required. */
    private static void attack(io.kivaloo.proto.net.KivalooAddress address, Garbage garbage, Records records,
                               List<String> failures) throws IOException {
        if (ORIGINAL_QUIRKS && garbage == Garbage.HUGE_LENGTH) {
            return;
        }
        try (RawConnection connection = RawConnection.open(address)) {
            connection.write(garbage.bytes(records));
            if (garbage.serverMustClose() && !connection.awaitClosedByServer(CLOSE_DEADLINE)) {
                failures.add(address + ": " + garbage + " did not close the connection within "
                        + CLOSE_DEADLINE.toSeconds() + " s");
            }
        }
    }

    private static void writeCanaries(Chain chain) throws IOException {
        BlockingKvldsClient client = chain.client();
        for (int i = 0; i < CANARIES; i++) {
            client.set(Key.of("canary-" + i), Key.of("value-" + i));
        }
    }

    private static void checkCanaries(Chain chain) throws IOException {
        BlockingKvldsClient client = chain.client();
        for (int i = 0; i < CANARIES; i++) {
            assertThat(client.get(Key.of("canary-" + i))).as("canary " + i).isEqualTo(Key.of("value-" + i));
        }
    }

    /** Valid and invalid records of the protocol the attacked daemon speaks. */
    private record Records(byte[] valid, byte[] unknownType, byte[] malformed) {
    }

    private static Records kvldsRecords() {
        byte[] get = KvldsCodec.encodeRequest(new KvldsRequest.Get(Key.of("canary-1")));
        return new Records(get, ByteBuffer.allocate(4).putInt(0x99).array(), Arrays.copyOf(get, get.length + 1));
    }

    private static Records lbsRecords() {
        byte[] params = LbsCodec.encodeRequest(new LbsRequest.Params2());
        return new Records(params, ByteBuffer.allocate(4).putInt(0x99).array(), Arrays.copyOf(params, params.length + 1));
    }

    /** The kinds of bad input. */
    private enum Garbage {
        BAD_HEADER_CRC,
        BAD_TRAILER_CRC,
        /** A header announcing a record of 2^32 - 16 bytes, then a few bytes: must not wait for (or allocate) 4 GiB. */
        HUGE_LENGTH,
        UNKNOWN_TYPE,
        MALFORMED_RECORD,
        EMPTY_RECORD,
        /** Half a packet, then the client hangs up. */
        HALF_PACKET_THEN_HANG_UP,
        /** A thousand valid requests, then the client hangs up without reading an answer. */
        PIPELINE_THEN_HANG_UP;

        byte[] bytes(Records records) {
            switch (this) {
                case BAD_HEADER_CRC: {
                    byte[] p = Frames.packet(1, records.valid());
                    p[12] ^= 0x01;
                    return p;
                }
                case BAD_TRAILER_CRC: {
                    byte[] p = Frames.packet(2, records.valid());
                    p[p.length - 1] ^= 0x01;
                    return p;
                }
                case HUGE_LENGTH:
                    return concat(Frames.header(3, 0xFFFFFFF0), new byte[64]);
                case UNKNOWN_TYPE:
                    return Frames.packet(4, records.unknownType());
                case MALFORMED_RECORD:
                    return Frames.packet(5, records.malformed());
                case EMPTY_RECORD:
                    return Frames.packet(6, new byte[0]);
                case HALF_PACKET_THEN_HANG_UP: {
                    byte[] p = Frames.packet(7, records.valid());
                    return Arrays.copyOf(p, p.length / 2);
                }
                case PIPELINE_THEN_HANG_UP: {
                    byte[] all = new byte[0];
                    for (int i = 0; i < 1000; i++) {
                        all = concat(all, Frames.packet(i, records.valid()));
                    }
                    return all;
                }
                default:
                    throw new IllegalStateException(name());
            }
        }

        boolean serverMustClose() {
            return this != HALF_PACKET_THEN_HANG_UP && this != PIPELINE_THEN_HANG_UP;
        }

        /** The C mux forwards these unchecked; kvlds then drops mux's connection and the C mux exits. */
        boolean reachesKvldsThroughTheCMux() {
            return this == UNKNOWN_TYPE || this == MALFORMED_RECORD || this == EMPTY_RECORD;
        }

        private static byte[] concat(byte[] a, byte[] b) {
            byte[] out = Arrays.copyOf(a, a.length + b.length);
            System.arraycopy(b, 0, out, a.length, b.length);
            return out;
        }
    }
}
