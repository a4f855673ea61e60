package io.kivaloo.lbs.storage;

import java.io.IOException;
import java.nio.ByteBuffer;

/**
 * One open file of the storage directory, addressed by byte position.
 * Reads may run on many threads at once; writes come from one thread.
 *
 * <p>{@link #read} and {@link #write} behave as pread(2) and pwrite(2): they
 * may move fewer bytes than asked. The store calls {@link #readFully} and
 * {@link #writeFully}, which continue, so that a fault layer in the tests can
 * return short counts the way the kernel may (a signal, a nearly full disk)
 * and the loops that must cope with them exist once.
 */
public interface DataFile extends AutoCloseable {

    /** Reads up to {@code dst.remaining()} bytes at {@code position}; returns the count, or -1 at end of file. */
    int read(ByteBuffer dst, long position) throws IOException;

    /** Writes up to {@code src.remaining()} bytes at {@code position}; returns the count, possibly fewer. */
    int write(ByteBuffer src, long position) throws IOException;

    /**
     * Reads until {@code dst} is full; false if the file ends first ({@code dst}'s
     * position then says how much was read).
     *
     * @throws IOException if a read moves no bytes before the end of the file (it would loop forever)
     */
    default boolean readFully(ByteBuffer dst, long position) throws IOException {
        long at = position;
        while (dst.hasRemaining()) {
            int n = read(dst, at);
            if (n < 0) {
                return false;
            }
            if (n == 0) {
                throw new IOException("read made no progress offset=" + at + " remaining=" + dst.remaining());
            }
            at += n;
        }
        return true;
    }

    /**
     * Writes all of {@code src} at {@code position}, continuing after short writes.
     *
     * @throws IOException if a write moves no bytes (it would loop forever)
     */
    default void writeFully(ByteBuffer src, long position) throws IOException {
        long at = position;
        while (src.hasRemaining()) {
            int n = write(src, at);
            if (n <= 0) {
                throw new IOException("write made no progress offset=" + at + " remaining=" + src.remaining());
            }
            at += n;
        }
    }

    /** Current length in bytes. */
    long size() throws IOException;

    /** Cuts the file to {@code size} bytes. */
    void truncate(long size) throws IOException;

    /** Makes the data and the length durable (fdatasync). */
    void force() throws IOException;

    @Override
    void close() throws IOException;
}
