package io.kivaloo.tests.badinput;

import io.kivaloo.proto.net.KivalooAddress;
import io.kivaloo.proto.wire.KivalooCrc;
import io.kivaloo.proto.wire.WireFormat;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.time.Duration;

/**
 * A deliberately misbehaving client: a plain socket that writes whatever
 * bytes it is given, with helpers to frame packets correctly or not, and to
 * observe the server closing the connection.
 */
final class RawConnection implements AutoCloseable {

    private final SocketChannel channel;

    private RawConnection(SocketChannel channel) {
        this.channel = channel;
    }

    static RawConnection open(KivalooAddress address) throws IOException {
        SocketAddress target;
        SocketChannel channel;
        if (address instanceof KivalooAddress.Unix) {
            target = UnixDomainSocketAddress.of(((KivalooAddress.Unix) address).path());
            channel = SocketChannel.open(StandardProtocolFamily.UNIX);
        } else {
            KivalooAddress.Tcp tcp = (KivalooAddress.Tcp) address;
            target = new InetSocketAddress(tcp.host(), tcp.port());
            channel = SocketChannel.open();
        }
        channel.connect(target);
        return new RawConnection(channel);
    }

    /**
     * A well-formed packet around {@code record} (wire.md §2): header CRC over
     * ID and length, trailer = CRC of the record XOR the header CRC bytes.
     */
    static byte[] packet(long id, byte[] record) {
        ByteBuffer buffer = ByteBuffer.allocate(WireFormat.OVERHEAD + record.length);
        buffer.putLong(id).putInt(record.length);
        int headerCrc = KivalooCrc.of(buffer.array(), 0, WireFormat.HEADER_CRC_OFFSET);
        buffer.order(ByteOrder.LITTLE_ENDIAN).putInt(headerCrc);
        buffer.put(record);
        buffer.putInt(KivalooCrc.of(record, 0, record.length) ^ headerCrc);
        return buffer.array();
    }

    /** Just a header announcing a record of {@code length} bytes (unsigned), with a correct header CRC. */
    static byte[] header(long id, int length) {
        ByteBuffer buffer = ByteBuffer.allocate(WireFormat.HEADER_LENGTH);
        buffer.putLong(id).putInt(length);
        int headerCrc = KivalooCrc.of(buffer.array(), 0, WireFormat.HEADER_CRC_OFFSET);
        buffer.order(ByteOrder.LITTLE_ENDIAN).putInt(headerCrc);
        return buffer.array();
    }

    void write(byte[] bytes) throws IOException {
        ByteBuffer buffer = ByteBuffer.wrap(bytes);
        while (buffer.hasRemaining()) {
            channel.write(buffer);
        }
    }

    /**
     * Reads (and discards) until the server closes the connection; true if it
     * did within {@code deadline}. A reset counts as closed.
     */
    boolean awaitClosedByServer(Duration deadline) throws IOException {
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

    @Override
    public void close() throws IOException {
        channel.close();
    }
}
