package io.kivaloo.proto.net;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * A socket address in kivaloo's syntax (wire.md §5), the one place it is parsed:
 * <ul>
 *   <li>{@code /path}: a Unix-domain stream socket (at most 107 bytes, Linux's sun_path);</li>
 *   <li>{@code [a.b.c.d]:port} or {@code [v6::addr]:port}: a literal IP address;</li>
 *   <li>{@code host:port}: a name resolved when used; the port follows the last colon.</li>
 * </ul>
 * Anything else, including an address without a port, is an error.
 */
public sealed interface KivalooAddress {

    /** Longest Unix socket path: sun_path is 108 bytes on Linux, including the terminating NUL. */
    int MAX_UNIX_PATH_BYTES = 107;

    /** The address as the user wrote it; also the stem of the default pid file name. */
    String text();

    /** Parses {@code text}; the message of the exception says what is wrong. */
    static KivalooAddress parse(String text) {
        if (text == null || text.isEmpty()) {
            throw new IllegalArgumentException("empty socket address");
        }
        if (text.startsWith("/")) {
            int bytes = text.getBytes(StandardCharsets.UTF_8).length;
            if (bytes > MAX_UNIX_PATH_BYTES) {
                throw new IllegalArgumentException("socket path too long: " + bytes + " bytes (expected: <= "
                        + MAX_UNIX_PATH_BYTES + "): " + text);
            }
            return new Unix(text, Path.of(text));
        }
        int colon = text.lastIndexOf(':');
        if (colon < 0) {
            throw new IllegalArgumentException("socket address must be /path, host:port or [ip]:port but was '" + text + "'");
        }
        String host = text.substring(0, colon);
        int port = parsePort(text, text.substring(colon + 1));
        if (host.startsWith("[")) {
            if (!host.endsWith("]") || host.length() < 3) {
                throw new IllegalArgumentException("malformed [ip]:port address '" + text + "'");
            }
            String literal = host.substring(1, host.length() - 1);
            if (!isIpLiteral(literal)) {
                throw new IllegalArgumentException("not an IP address literal: '" + literal + "' in '" + text + "'");
            }
            return new Tcp(text, literal, port, true);
        }
        if (host.isEmpty()) {
            throw new IllegalArgumentException("missing host in socket address '" + text + "'");
        }
        return new Tcp(text, host, port, false);
    }

    private static int parsePort(String text, String port) {
        if (port.isEmpty() || port.length() > 5 || !port.chars().allMatch(c -> c >= '0' && c <= '9')) {
            throw new IllegalArgumentException("port must be a number in 1..65535 in '" + text + "'");
        }
        int value = Integer.parseInt(port);
        if (value < 1 || value > 65535) {
            throw new IllegalArgumentException("port " + value + " out of range 1..65535 in '" + text + "'");
        }
        return value;
    }

    private static boolean isIpLiteral(String s) {
        if (s.contains(":")) {
            return s.chars().allMatch(c -> Character.digit(c, 16) >= 0 || c == ':' || c == '.' || c == '%');
        }
        String[] parts = s.split("\\.", -1);
        if (parts.length != 4) {
            return false;
        }
        for (String part : parts) {
            if (part.isEmpty() || part.length() > 3 || !part.chars().allMatch(c -> c >= '0' && c <= '9')
                    || Integer.parseInt(part) > 255) {
                return false;
            }
        }
        return true;
    }

    /** A Unix-domain socket at {@code path}. */
    record Unix(String text, Path path) implements KivalooAddress {
        @Override
        public String toString() {
            return text;
        }
    }

    /** A TCP address; {@code literal} when written as {@code [ip]:port}. */
    record Tcp(String text, String host, int port, boolean literal) implements KivalooAddress {

        /** Every address {@code host} resolves to, in resolver order. */
        public List<InetSocketAddress> resolve() throws UnknownHostException {
            List<InetSocketAddress> out = new ArrayList<>();
            for (InetAddress address : InetAddress.getAllByName(host)) {
                out.add(new InetSocketAddress(address, port));
            }
            return out;
        }

        @Override
        public String toString() {
            return text;
        }
    }
}
