package io.kivaloo.tools.dump;

import io.kivaloo.proto.kvlds.Key;
import io.kivaloo.proto.kvlds.KvldsResponse;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;

/**
 * Reads a {@link StreamFormat} dump pair by pair, holding one pair at a
 * time. A truncated dump fails with the byte offset and the field it was
 * reading, where the original undump waits for ever.
 */
final class StreamPairReader implements PairSource {

    private static final int BUFFER_BYTES = 64 * 1024;

    private final InputStream in;
    /** Bytes consumed so far: the offset error messages give. */
    private long offset;
    private long pairs;

    StreamPairReader(InputStream in) {
        this.in = new BufferedInputStream(in, BUFFER_BYTES);
    }

    @Override
    public KvldsResponse.Pair next() throws IOException {
        int keyLength = in.read();
        if (keyLength < 0) {
            return null;
        }
        offset++;
        Key key = readBytes(keyLength, "key");
        int valueLength = in.read();
        if (valueLength < 0) {
            throw truncated("value length", 1, 0);
        }
        offset++;
        Key value = readBytes(valueLength, "value");
        pairs++;
        return new KvldsResponse.Pair(key, value);
    }

    private Key readBytes(int length, String field) throws IOException {
        byte[] bytes = in.readNBytes(length);
        if (bytes.length < length) {
            throw truncated(field, length, bytes.length);
        }
        offset += length;
        return Key.wrap(bytes);
    }

    private DumpFormatException truncated(String field, int expected, int got) {
        return new DumpFormatException("dump truncated: pair " + pairs + " at byte " + offset + " field=" + field
                + " expected=" + expected + " bytes got=" + got);
    }

    @Override
    public void close() throws IOException {
        in.close();
    }
}
