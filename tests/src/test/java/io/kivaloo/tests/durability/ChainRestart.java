package io.kivaloo.tests.durability;

import io.kivaloo.proto.kvlds.Key;

import io.kivaloo.proto.client.BlockingKvldsClient;

import io.kivaloo.proto.client.KvldsClient;
import io.kivaloo.tests.chain.ChainControl;
import io.kivaloo.tests.chain.Role;

import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * What an operator does after a daemon of the chain was killed: restart it,
 * restart whatever exited because of it, and check that clients are served
 * again.
 *
 * <ul>
 *   <li>Block store killed: kvlds treats any block-store failure as fatal and
 *       exits (kvlds.md §7); we wait for that, then start both again.</li>
 *   <li>kvlds killed: start it again. mux may survive (ours reconnects) or
 *       exit once a request fails (the C mux, mux.md §1.3).</li>
 *   <li>mux: restarted if it is gone; then probed with PARAMS through a new
 *       connection. A probe that fails while mux stays up is repeated (mux
 *       may be reconnecting); if mux exits, it is started again.</li>
 * </ul>
 */
public final class ChainRestart {

    /** kvlds notices a dead block store within about a second (its FREE timer); this is generous. */
    static final Duration FATAL_EXIT_DEADLINE = Duration.ofSeconds(60);
    private static final Duration SERVICE_DEADLINE = Duration.ofSeconds(180);
    private static final Duration MUX_EXIT_AFTER_FAILURE = Duration.ofSeconds(10);
    private static final long PROBE_TIMEOUT_SECONDS = 60;

    /** Outside every writer's keyspace; always deleted again by {@link #drainThroughMux}. */
    private static final Key BARRIER = Key.of("~durability-barrier");

    private ChainRestart() {
    }

    /**
     * Waits until every request that mux accepted from the writers, whose
     * connections are gone, has taken effect, so that a scan taken next is
     * final. mux holds requests that arrive while its target is down and
     * forwards them once it has reconnected, even for a client that has
     * hung up meanwhile (it stops reading such a client, so it cannot see
     * the hang-up): their outcome was unknown to the writer, and they may
     * still run after the restart. A SET through mux returns only once mux
     * is connected again and has forwarded what it held; a DELETE sent after
     * that answer travels behind all of it on the one upstream connection,
     * and kvlds applies one connection's modifications in order; so once the
     * DELETE is answered, everything forwarded before it is committed.
     */
    public static void drainThroughMux(BlockingKvldsClient client) throws IOException {
        client.set(BARRIER, Key.of("x"));
        client.delete(BARRIER);
    }

    /** Brings the chain back after {@code victim} was killed; returns once mux answers a new client. */
    public static void restore(ChainControl chain, Role victim) throws IOException, InterruptedException {
        if (victim == Role.BLOCK_STORE && !chain.awaitExit(Role.KVLDS, FATAL_EXIT_DEADLINE)) {
            throw new AssertionError("kvlds still running "
                    + FATAL_EXIT_DEADLINE.toSeconds() + " s after its block store was killed; "
                    + "block-store failures must be fatal (kvlds.md §7)");
        }
        for (Role role : new Role[] {Role.BLOCK_STORE, Role.KVLDS}) {
            if (!chain.isRunning(role)) {
                chain.start(role);
            }
        }
        awaitMuxServing(chain);
    }

    /** Restarts mux as often as needed until a fresh client gets a PARAMS answer through it. */
    static void awaitMuxServing(ChainControl chain) throws IOException, InterruptedException {
        long end = System.nanoTime() + SERVICE_DEADLINE.toNanos();
        IOException last = null;
        while (System.nanoTime() - end < 0) {
            if (!chain.isRunning(Role.MUX)) {
                chain.start(Role.MUX);
            }
            try {
                probe(chain);
                return;
            } catch (IOException e) {
                last = e;
                // The C mux exits after its first failed request; ours stays up and reconnects upstream.
                chain.awaitExit(Role.MUX, MUX_EXIT_AFTER_FAILURE);
            }
        }
        throw new IOException("mux did not serve a client within " + SERVICE_DEADLINE.toSeconds() + " s", last);
    }

    private static void probe(ChainControl chain) throws IOException, InterruptedException {
        KvldsClient client = chain.connect(Role.MUX);
        try {
            client.params().get(PROBE_TIMEOUT_SECONDS, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            throw new IOException("probe through mux failed: " + e.getCause().getMessage(), e.getCause());
        } catch (TimeoutException e) {
            throw new IOException("probe through mux: no answer in " + PROBE_TIMEOUT_SECONDS + " s", e);
        } finally {
            client.close();
        }
    }
}
