package io.kivaloo.proto.wire;

import io.kivaloo.proto.net.KivalooAddress;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.time.Duration;

/**
 * A deliberately misbehaving client: a plain blocking socket that writes
 * whatever bytes it is given (framed by {@link Frames}, or damaged, or
 * garbage), reads answers without checking them, and observes the server
 * closing the connection. For the tests of what a server does with input no
 * real client sends (lbs, kvlds, mux, the chain's bad-input suite).
 */
public final class RawConnection implements AutoCloseable {

    private final SocketChannel channel;

    private RawConnection(SocketChannel channel) {
        this.channel = channel;
    }

    public static RawConnection open(KivalooAddress address) throws IOException {
        if (address instanceof KivalooAddress.Unix) {
            SocketChannel channel = SocketChannel.open(StandardProtocolFamily.UNIX);
            channel.connect(UnixDomainSocketAddress.of(((KivalooAddress.Unix) address).path()));
            return new RawConnection(channel);
        }
        KivalooAddress.Tcp tcp = (KivalooAddress.Tcp) address;
        return new RawConnection(SocketChannel.open(new InetSocketAddress(tcp.host(), tcp.port())));
    }

    /** Sends a well-formed packet. */
    public void send(long id, byte[] record) throws IOException {
        write(Frames.packet(id, record));
    }

    public void write(byte[] bytes) throws IOException {
        ByteBuffer buffer = ByteBuffer.wrap(bytes);
        while (buffer.hasRemaining()) {
            channel.write(buffer);
        }
    }

    /** The next answer (its CRCs unchecked), or null at end of stream or reset (the server closed the connection). */
    public Packet receive() throws IOException {
        ByteBuffer header = ByteBuffer.allocate(WireFormat.HEADER_LENGTH);
        if (!readFully(header)) {
            return null;
        }
        long id = header.getLong(WireFormat.ID_OFFSET);
        int length = header.getInt(WireFormat.LENGTH_OFFSET);
        ByteBuffer rest = ByteBuffer.allocate(length + WireFormat.TRAILER_LENGTH);
        if (!readFully(rest)) {
            throw new IOException("stream ended inside a packet");
        }
        byte[] record = new byte[length];
        rest.flip();
        rest.get(record);
        return new Packet(id, record);
    }

    /** Reads until end of stream, failing if any answer arrives meanwhile. */
    public void expectEndOfStream() throws IOException {
        Packet unexpected = receive();
        if (unexpected != null) {
            throw new AssertionError("expected the server to close the connection, got " + unexpected);
        }
    }

    /**
     * Reads (and discards) until the server closes the connection; true if it
     * did within {@code deadline}, a generous bound for a busy machine. A
     * reset counts as closed. The socket is non-blocking afterwards: call
     * nothing but {@link #close()}.
     */
    public boolean awaitClosedByServer(Duration deadline) throws IOException {
        channel.configureBlocking(false);
        long end = System.nanoTime() + deadline.toNanos();
        ByteBuffer sink = ByteBuffer.allocate(64 * 1024);
        try (Selector selector = Selector.open()) {
            channel.register(selector, SelectionKey.OP_READ);
            while (true) {
                long left = end - System.nanoTime();
                if (left <= 0) {
                    return false;
                }
                selector.select(Math.max(1, left / 1_000_000));
                selector.selectedKeys().clear();
                sink.clear();
                int n;
                try {
                    n = channel.read(sink);
                } catch (IOException reset) {
                    return true;
                }
                if (n < 0) {
                    return true;
                }
            }
        }
    }

    private boolean readFully(ByteBuffer buffer) throws IOException {
        while (buffer.hasRemaining()) {
            int n;
            try {
                n = channel.read(buffer);
            } catch (IOException reset) {
                return false; // connection reset by the server counts as closed
            }
            if (n < 0) {
                return false;
            }
        }
        return true;
    }

    @Override
    public void close() throws IOException {
        channel.close();
    }
}
