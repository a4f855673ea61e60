package io.kivaloo.tests.chain;

import io.kivaloo.proto.net.KivalooAddress;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Path;

/** How the daemons of a chain (and the test's clients) reach each other. */
public enum Wiring {

    /** Unix-domain sockets in the chain directory: {@code <dir>/<role>.sock}. */
    UNIX {
        @Override
        KivalooAddress allocate(Path directory, Role role) {
            return KivalooAddress.parse(directory.resolve(role.fileStem() + ".sock").toString());
        }
    },

    /**
     * TCP on the IPv4 loopback, {@code [127.0.0.1]:port}, on a port the kernel
     * reported free. Another process may take the port before the daemon binds
     * it; the chain then picks a new one (see {@link Chain}).
     */
    TCP {
        @Override
        KivalooAddress allocate(Path directory, Role role) {
            try (ServerSocket probe = new ServerSocket()) {
                // Not SO_REUSEADDR: a port in TIME_WAIT is not offered.
                probe.setReuseAddress(false);
                probe.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
                return KivalooAddress.parse("[127.0.0.1]:" + probe.getLocalPort());
            } catch (IOException e) {
                throw new UncheckedIOException("cannot find a free loopback port", e);
            }
        }
    };

    /** A fresh listening address for {@code role} in a chain living in {@code directory}. */
    abstract KivalooAddress allocate(Path directory, Role role);
}
