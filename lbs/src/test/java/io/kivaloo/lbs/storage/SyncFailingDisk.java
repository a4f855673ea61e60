package io.kivaloo.lbs.storage;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.List;

/**
 * A {@link Disk} over a real one whose syncs fail while {@link #failSync} is
 * on: every {@code fdatasync} of a data file, and, if asked, every directory
 * sync. Everything else passes through.
 */
public final class SyncFailingDisk implements Disk {

    private final Disk real;
    private final String message;
    private final boolean failDirectorySync;
    public volatile boolean failSync;

    /**
     * @param message           the injected IOException's message
     * @param failDirectorySync whether directory syncs fail too
     */
    public SyncFailingDisk(Disk real, String message, boolean failDirectorySync) {
        this.real = real;
        this.message = message;
        this.failDirectorySync = failDirectorySync;
    }

    @Override
    public String describe() {
        return real.describe();
    }

    @Override
    public List<String> listRegularFiles() throws IOException {
        return real.listRegularFiles();
    }

    @Override
    public DataFile open(String name) throws IOException {
        return wrap(real.open(name));
    }

    @Override
    public DataFile create(String name) throws IOException {
        return wrap(real.create(name));
    }

    @Override
    public void delete(String name) throws IOException {
        real.delete(name);
    }

    @Override
    public void syncDirectory() throws IOException {
        if (failDirectorySync && failSync) {
            throw new IOException(message);
        }
        real.syncDirectory();
    }

    private DataFile wrap(DataFile file) {
        return new DataFile() {
            @Override
            public int read(ByteBuffer dst, long position) throws IOException {
                return file.read(dst, position);
            }

            @Override
            public void write(ByteBuffer src, long position) throws IOException {
                file.write(src, position);
            }

            @Override
            public long size() throws IOException {
                return file.size();
            }

            @Override
            public void truncate(long size) throws IOException {
                file.truncate(size);
            }

            @Override
            public void force() throws IOException {
                if (failSync) {
                    throw new IOException(message);
                }
                file.force();
            }

            @Override
            public void close() throws IOException {
                file.close();
            }
        };
    }
}
