package io.kivaloo.tools.dump;

import io.kivaloo.proto.kvlds.Key;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;

/** Writes pairs as a {@link StreamFormat} dump, buffered. */
final class StreamPairWriter implements PairSink {

    /** Output buffer: one large write per 64 KiB of pairs. */
    private static final int BUFFER_BYTES = 64 * 1024;

    private final OutputStream out;

    StreamPairWriter(OutputStream out) {
        this.out = new BufferedOutputStream(out, BUFFER_BYTES);
    }

    @Override
    public void write(Key key, Key value) throws IOException {
        writeString(key);
        writeString(value);
    }

    private void writeString(Key s) throws IOException {
        out.write(s.length());
        out.write(s.unsafeBytes(), 0, s.length());
    }

    @Override
    public void close() throws IOException {
        out.close();
    }
}
