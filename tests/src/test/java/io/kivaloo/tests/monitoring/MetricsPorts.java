package io.kivaloo.tests.monitoring;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;

/**
 * Loopback ports for {@code --metrics-listen}: taken free from the kernel and
 * released; a daemon that then fails to bind one (taken meanwhile) fails to
 * start with a one-line message, and the test says so.
 */
final class MetricsPorts {

    private MetricsPorts() {
    }

    /** {@code 127.0.0.1:<a free port>}. */
    static String freeLoopback() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
            return "127.0.0.1:" + socket.getLocalPort();
        }
    }
}
