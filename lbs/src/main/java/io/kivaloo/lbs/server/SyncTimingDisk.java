package io.kivaloo.lbs.server;

import io.kivaloo.lbs.storage.DataFile;
import io.kivaloo.lbs.storage.Disk;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.List;

/**
 * The daemon's {@link Disk}, timing every fsync for the
 * {@code fsync_duration} histogram and passing everything else through: the
 * storage package stays free of metrics, and the time measured is that of
 * the system call alone.
 */
final class SyncTimingDisk implements Disk {

    private final Disk disk;
    private final LbsMetrics metrics;

    SyncTimingDisk(Disk disk, LbsMetrics metrics) {
        this.disk = disk;
        this.metrics = metrics;
    }

    @Override
    public String describe() {
        return disk.describe();
    }

    @Override
    public List<String> listRegularFiles() throws IOException {
        return disk.listRegularFiles();
    }

    @Override
    public DataFile open(String name) throws IOException {
        return new TimedFile(disk.open(name));
    }

    @Override
    public DataFile create(String name) throws IOException {
        return new TimedFile(disk.create(name));
    }

    @Override
    public void delete(String name) throws IOException {
        disk.delete(name);
    }

    @Override
    public void syncDirectory() throws IOException {
        long start = System.nanoTime();
        disk.syncDirectory();
        metrics.synced(System.nanoTime() - start);
    }

    private final class TimedFile implements DataFile {

        private final DataFile file;

        TimedFile(DataFile file) {
            this.file = file;
        }

        @Override
        public int read(ByteBuffer dst, long position) throws IOException {
            return file.read(dst, position);
        }

        @Override
        public int write(ByteBuffer src, long position) throws IOException {
            return file.write(src, position);
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
            long start = System.nanoTime();
            file.force();
            metrics.synced(System.nanoTime() - start);
        }

        @Override
        public void close() throws IOException {
            file.close();
        }
    }
}
