package io.kivaloo.lbs.storage;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.NoSuchFileException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * A storage directory in memory, as POSIX files behave: names point at file
 * contents, and an open handle keeps its contents after a rename or delete.
 * Fast enough for the exhaustive crash tests and the fuzzer to build, damage
 * and scan stores thousands of times a second. Syncs do nothing here; what a
 * crash loses is {@link CrashingDisk}'s model. Counts the reads made through
 * it, so that a test can bound the start-up scan's work. Thread-safe.
 */
final class MemoryDisk implements Disk {

    /** The contents of one file; shared by its name and every open handle. */
    private static final class Inode {
        byte[] bytes = new byte[0];
        int length;
    }

    private final Map<String, Inode> names = new TreeMap<>();
    private long reads;

    /** A disk holding exactly {@code contents}. */
    static MemoryDisk of(Map<String, byte[]> contents) {
        MemoryDisk disk = new MemoryDisk();
        contents.forEach((name, bytes) -> {
            Inode inode = new Inode();
            inode.bytes = bytes.clone();
            inode.length = bytes.length;
            disk.names.put(name, inode);
        });
        return disk;
    }

    /** A copy of every file's bytes. */
    synchronized Map<String, byte[]> snapshot() {
        Map<String, byte[]> copy = new TreeMap<>();
        names.forEach((name, inode) -> copy.put(name, Arrays.copyOf(inode.bytes, inode.length)));
        return copy;
    }

    synchronized long reads() {
        return reads;
    }

    synchronized boolean exists(String name) {
        return names.containsKey(name);
    }

    /** rename(2): {@code to} must not exist. */
    synchronized void rename(String from, String to) throws IOException {
        if (names.containsKey(to)) {
            throw new FileAlreadyExistsException(to);
        }
        names.put(to, inode(from));
        names.remove(from);
    }

    @Override
    public String describe() {
        return "memory";
    }

    @Override
    public synchronized List<String> listRegularFiles() {
        return new ArrayList<>(names.keySet());
    }

    @Override
    public synchronized DataFile open(String name) throws IOException {
        return new MemoryFile(inode(name));
    }

    @Override
    public synchronized DataFile create(String name) throws IOException {
        if (names.containsKey(name)) {
            throw new FileAlreadyExistsException(name);
        }
        Inode inode = new Inode();
        names.put(name, inode);
        return new MemoryFile(inode);
    }

    @Override
    public synchronized void delete(String name) throws IOException {
        inode(name);
        names.remove(name);
    }

    @Override
    public void syncDirectory() {
    }

    private Inode inode(String name) throws NoSuchFileException {
        Inode inode = names.get(name);
        if (inode == null) {
            throw new NoSuchFileException(name);
        }
        return inode;
    }

    private final class MemoryFile implements DataFile {
        private final Inode inode;

        MemoryFile(Inode inode) {
            this.inode = inode;
        }

        @Override
        public int read(ByteBuffer dst, long position) {
            synchronized (MemoryDisk.this) {
                reads++;
                if (position >= inode.length) {
                    return -1;
                }
                int n = (int) Math.min(dst.remaining(), inode.length - position);
                dst.put(inode.bytes, (int) position, n);
                return n;
            }
        }

        @Override
        public int write(ByteBuffer src, long position) {
            synchronized (MemoryDisk.this) {
                int n = src.remaining();
                int end = Math.toIntExact(position + n);
                if (end > inode.bytes.length) {
                    inode.bytes = Arrays.copyOf(inode.bytes, Math.max(end, inode.bytes.length * 2));
                }
                src.get(inode.bytes, (int) position, n);
                inode.length = Math.max(inode.length, end);
                return n;
            }
        }

        @Override
        public long size() {
            synchronized (MemoryDisk.this) {
                return inode.length;
            }
        }

        @Override
        public void truncate(long size) {
            synchronized (MemoryDisk.this) {
                if (size < inode.length) {
                    // Bytes beyond the length read as zeros if the file grows again, as in a real file.
                    Arrays.fill(inode.bytes, (int) size, inode.length, (byte) 0);
                    inode.length = (int) size;
                }
            }
        }

        @Override
        public void force() {
        }

        @Override
        public void close() {
        }
    }
}
