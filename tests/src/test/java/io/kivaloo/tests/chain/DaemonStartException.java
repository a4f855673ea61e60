package io.kivaloo.tests.chain;

import java.io.IOException;

/** A daemon's launcher did not report it ready: non-zero exit, no pid file, or no answer in time. */
public final class DaemonStartException extends IOException {

    private static final long serialVersionUID = 1L;

    private final int exitStatus;

    public DaemonStartException(String message, int exitStatus) {
        super(message);
        this.exitStatus = exitStatus;
    }

    /** The launcher's exit status, or -1 when it did not exit. */
    public int exitStatus() {
        return exitStatus;
    }
}
