package io.kivaloo.lbs.server;

import io.kivaloo.proto.net.KivalooAddress;
import io.kivaloo.proto.wire.FrameEncoder;
import io.kivaloo.proto.wire.Packet;
import io.kivaloo.proto.wire.WireFormat;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;

/**
 * A blocking client socket that sends hand-made bytes (bad CRCs, malformed
 * records) and reads framed answers without checking them: for the tests of
 * what the server does with input no real client sends.
 */
final class RawConnection implements AutoCloseable {

    private final SocketChannel channel;

    RawConnection(KivalooAddress address) throws IOException {
        if (address instanceof KivalooAddress.Unix) {
            channel = SocketChannel.open(StandardProtocolFamily.UNIX);
            channel.connect(UnixDomainSocketAddress.of(((KivalooAddress.Unix) address).path()));
        } else {
            KivalooAddress.Tcp tcp = (KivalooAddress.Tcp) address;
            channel = SocketChannel.open(new InetSocketAddress(tcp.host(), tcp.port()));
        }
    }

    /** The framed bytes of a packet, for tests that then damage them. */
    static byte[] frame(long id, byte[] record) {
        ByteBuf out = Unpooled.buffer();
        try {
            new FrameEncoder().encode(new Packet(id, record), out);
            byte[] bytes = new byte[out.readableBytes()];
            out.readBytes(bytes);
            return bytes;
        } finally {
            out.release();
        }
    }

    void send(long id, byte[] record) throws IOException {
        sendBytes(frame(id, record));
    }

    void sendBytes(byte[] bytes) throws IOException {
        ByteBuffer buffer = ByteBuffer.wrap(bytes);
        while (buffer.hasRemaining()) {
            channel.write(buffer);
        }
    }

    /** The next answer, or null at end of stream (the server closed the connection). */
    Packet receive() throws IOException {
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
    void expectEndOfStream() throws IOException {
        Packet unexpected = receive();
        if (unexpected != null) {
            throw new AssertionError("expected the server to close the connection, got " + unexpected);
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
