package io.kivaloo.tests.chain;

import io.kivaloo.proto.client.KvldsClient;

import java.io.IOException;
import java.time.Duration;

/**
 * What a suite needs to drive a chain, whether its daemons run as processes
 * ({@link Chain}) or in containers (the containers package): start, observe
 * and reach each daemon.
 */
public interface ChainControl {

    /** Starts {@code role} (again) on the chain's data at its address; returns once it is ready. */
    void start(Role role) throws IOException;

    /** SIGKILL; returns once the daemon is gone. */
    void kill(Role role);

    boolean isRunning(Role role);

    /** Waits for {@code role} to exit by itself; true if it did within {@code deadline}. */
    boolean awaitExit(Role role, Duration deadline);

    /** A new pipelined client connected to {@code role} (MUX or KVLDS). */
    KvldsClient connect(Role role) throws IOException;
}
