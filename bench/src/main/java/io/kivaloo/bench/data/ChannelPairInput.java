package io.kivaloo.bench.data;

import java.io.FileDescriptor;
import java.io.FileInputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * Records read from a file, or from standard input. Rewinding seeks to 0, so
 * it works on a file and on standard input redirected from a file, and fails
 * on a pipe, as the C bulk_update's {@code rewind(stdin)} does.
 */
public final class ChannelPairInput implements PairInput {

    private static final int BUFFER_SIZE = 1 << 20;

    private final FileChannel channel;
    private final String name;
    private final boolean owned;
    private final ByteBuffer buffer = ByteBuffer.allocate(BUFFER_SIZE);
    private boolean eof;

    private ChannelPairInput(FileChannel channel, String name, boolean owned) {
        this.channel = channel;
        this.name = name;
        this.owned = owned;
        buffer.flip();
    }

    public static ChannelPairInput open(Path file) throws IOException {
        return new ChannelPairInput(FileChannel.open(file, StandardOpenOption.READ), file.toString(), true);
    }

    @SuppressWarnings("resource") // standard input stays open: it is not ours to close
    public static ChannelPairInput standardInput() {
        return new ChannelPairInput(new FileInputStream(FileDescriptor.in).getChannel(), "standard input", false);
    }

    @Override
    public boolean read(byte[] record) throws IOException {
        while (buffer.remaining() < record.length) {
            if (eof) {
                return false;
            }
            buffer.compact();
            if (channel.read(buffer) < 0) {
                eof = true;
            }
            buffer.flip();
        }
        buffer.get(record);
        return true;
    }

    @Override
    public void rewind() throws IOException {
        try {
            channel.position(0);
        } catch (IOException e) {
            throw new IOException("cannot rewind " + name + " (bulk-update needs a file, not a pipe): " + e.getMessage(), e);
        }
        buffer.clear().flip();
        eof = false;
    }

    @Override
    public void close() throws IOException {
        if (owned) {
            channel.close();
        }
    }
}
