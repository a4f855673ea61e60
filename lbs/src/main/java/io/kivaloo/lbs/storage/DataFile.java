package io.kivaloo.lbs.storage;

import java.io.IOException;
import java.nio.ByteBuffer;

/**
 * One open file of the storage directory, addressed by byte position.
 * Reads may run on many threads at once; writes come from one thread.
 */
public interface DataFile extends AutoCloseable {

    /** Reads up to {@code dst.remaining()} bytes at {@code position}; returns the count, or -1 at end of file. */
    int read(ByteBuffer dst, long position) throws IOException;

    /** Writes all of {@code src} at {@code position}. */
    void write(ByteBuffer src, long position) throws IOException;

    /** Current length in bytes. */
    long size() throws IOException;

    /** Cuts the file to {@code size} bytes. */
    void truncate(long size) throws IOException;

    /** Makes the data and the length durable (fdatasync). */
    void force() throws IOException;

    @Override
    void close() throws IOException;
}
