package io.kivaloo.lbs.storage;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * A {@link Disk} over a real one with faults a test switches on. While
 * {@link #failSync} is on syncs fail: every {@code fdatasync} of a data file,
 * and, if asked, every directory sync. After {@link #holdSyncs} the next data
 * file sync waits until {@link #releaseSyncs}, so a test can see what lbs
 * does while a write is on its way to disk. {@link #limitSpace} makes the
 * disk fill up: a write that would grow the files beyond the limit writes
 * what fits and fails as a full disk does; while {@link #failReads} is on,
 * reads fail with an I/O error. Everything else passes through.
 */
public final class FaultyDisk implements Disk {

    private final Disk real;
    private final String message;
    private final boolean failDirectorySync;
    public volatile boolean failSync;
    /** While on, every read of a data file fails as a bad sector does (EIO). */
    public volatile boolean failReads;
    private volatile CountDownLatch held;
    private final CountDownLatch syncHeld = new CountDownLatch(1);
    /** Bytes the files may still grow by; Long.MAX_VALUE for no limit. */
    private long spaceLeft = Long.MAX_VALUE;

    /**
     * @param message           the injected IOException's message
     * @param failDirectorySync whether directory syncs fail too
     */
    public FaultyDisk(Disk real, String message, boolean failDirectorySync) {
        this.real = real;
        this.message = message;
        this.failDirectorySync = failDirectorySync;
    }

    /** From now on the files may grow by at most {@code bytes} more (truncation gives space back). */
    public synchronized void limitSpace(long bytes) {
        spaceLeft = bytes;
    }

    /** Takes what a write of {@code length} bytes at {@code position} grows the file by; returns the bytes that fit. */
    private synchronized long grow(long size, long position, long length) {
        long growth = Math.max(0, position + length - size);
        long granted = Math.min(growth, spaceLeft);
        if (spaceLeft != Long.MAX_VALUE) {
            spaceLeft -= granted;
        }
        return length - (growth - granted);
    }

    private synchronized void shrink(long bytes) {
        if (spaceLeft != Long.MAX_VALUE) {
            spaceLeft += bytes;
        }
    }

    /** From now on a data file sync waits for {@link #releaseSyncs}. Once per instance. */
    public void holdSyncs() {
        held = new CountDownLatch(1);
    }

    /** Waits until a data file sync is being held. */
    public void awaitSyncHeld() throws InterruptedException {
        if (!syncHeld.await(60, TimeUnit.SECONDS)) {
            throw new AssertionError("no sync was held within 60 s");
        }
    }

    public void releaseSyncs() {
        held.countDown();
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
                if (failReads) {
                    throw new IOException("Input/output error (injected)");
                }
                return file.read(dst, position);
            }

            @Override
            public int write(ByteBuffer src, long position) throws IOException {
                int length = src.remaining();
                long fits = grow(file.size(), position, length);
                if (fits < length) {
                    ByteBuffer part = src.duplicate();
                    part.limit(part.position() + (int) Math.max(0, fits));
                    file.writeFully(part, position);
                    throw new IOException("No space left on device (injected)");
                }
                return file.write(src, position);
            }

            @Override
            public long size() throws IOException {
                return file.size();
            }

            @Override
            public void truncate(long size) throws IOException {
                long before = file.size();
                file.truncate(size);
                shrink(Math.max(0, before - size));
            }

            @Override
            public void force() throws IOException {
                if (failSync) {
                    throw new IOException(message);
                }
                CountDownLatch latch = held;
                if (latch != null) {
                    syncHeld.countDown();
                    try {
                        if (!latch.await(60, TimeUnit.SECONDS)) {
                            throw new IOException("held sync was not released within 60 s");
                        }
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        throw new IOException("interrupted while a sync was held", e);
                    }
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
