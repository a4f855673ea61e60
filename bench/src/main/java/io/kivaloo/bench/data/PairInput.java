package io.kivaloo.bench.data;

import java.io.IOException;

/**
 * Where bulk-insert and bulk-update read their 80-byte records (40-byte key,
 * 40-byte value): a file or standard input in mkpairs format, or pairs
 * generated in-process, byte for byte the same.
 */
public interface PairInput extends AutoCloseable {

    /** Reads the next record into {@code record[0, 80)}; false at the end (a partial last record counts as the end, like fread). */
    boolean read(byte[] record) throws IOException;

    /** Starts again from the first record; fails if the input cannot be re-read (a pipe). */
    void rewind() throws IOException;

    @Override
    void close() throws IOException;
}
