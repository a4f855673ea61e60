package io.kivaloo.lbs.storage;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * A {@link Disk} over another that injects exactly one fault: the n-th call
 * of one operation fails, or moves fewer bytes than asked, the way the system
 * call can; every other call passes through. Put over a {@link CrashingDisk}
 * that never crashes, the faults land in its durability model, so a test can
 * follow a fault with a restart and a power loss.
 *
 * <p>It also counts the file handles opened through it that are still open,
 * so that a test can check that a refused start-up closed all of them.
 */
final class OneFaultDisk implements Disk {

    /** The fault, named for the system call and its result. */
    enum Fault {
        /** readdir fails (EIO). */
        LIST_EIO,
        /** open of an existing file fails (EIO). */
        OPEN_EIO,
        /** open(O_CREAT|O_EXCL) fails (EIO). */
        CREATE_EIO,
        /** unlink fails (EIO). */
        DELETE_EIO,
        /** fsync of the directory fails (EIO). */
        DIRECTORY_SYNC_EIO,
        /** fstat fails (EIO). */
        SIZE_EIO,
        /** pread fails (EIO, a bad sector). */
        READ_EIO,
        /** pread returns half of what was asked; the caller must ask again. */
        READ_SHORT,
        /** pwrite fails having written nothing (EIO). */
        WRITE_EIO,
        /** pwrite writes half the bytes and then fails (ENOSPC): the half stays in the file. */
        WRITE_ENOSPC,
        /** pwrite writes half the bytes and returns that count; the caller must write the rest. */
        WRITE_SHORT,
        /** ftruncate fails (EIO). */
        TRUNCATE_EIO,
        /** fdatasync fails (EIO). */
        SYNC_EIO;

        /** Whether the fault leaves the call's result usable: the caller must simply go on. */
        boolean isShortCount() {
            return this == READ_SHORT || this == WRITE_SHORT;
        }
    }

    /** The message of every injected failure, so that a test can tell it from a real one. */
    static final String INJECTED = "(injected)";

    private final Disk real;
    private final Fault fault;
    private final long faultAt;
    /** Calls so far per operation; an operation is named by the fault that targets it. */
    private final Map<Fault, Long> calls = new EnumMap<>(Fault.class);
    private boolean injected;
    private boolean armed = true;
    private int openHandles;

    /** @param faultAt 0-based index of the call of {@code fault}'s operation that fails */
    OneFaultDisk(Disk real, Fault fault, long faultAt) {
        this.real = real;
        this.fault = fault;
        this.faultAt = faultAt;
    }

    /** From now on nothing fails: the part of the work under test is over. */
    synchronized void disarm() {
        armed = false;
    }

    /** Whether the fault has happened (false: the workload made fewer calls than the index). */
    synchronized boolean injected() {
        return injected;
    }

    /** Handles opened or created through this disk and not closed yet. */
    synchronized int openHandles() {
        return openHandles;
    }

    /**
     * Counts a call of the operation that {@code targets} (the faults of one
     * system call) stand for; true if this call is the one that fails.
     */
    private synchronized boolean strikes(Fault... targets) {
        boolean strike = false;
        if (!armed) {
            return false;
        }
        for (Fault target : targets) {
            long n = calls.merge(target, 1L, Long::sum) - 1;
            if (target == fault && n == faultAt) {
                injected = true;
                strike = true;
            }
        }
        return strike;
    }

    private IOException failure(String call) {
        return new IOException("Input/output error " + INJECTED + " in " + call + " (" + fault + " #" + faultAt + ")");
    }

    @Override
    public String describe() {
        return real.describe();
    }

    @Override
    public List<String> listRegularFiles() throws IOException {
        if (strikes(Fault.LIST_EIO)) {
            throw failure("readdir");
        }
        return real.listRegularFiles();
    }

    @Override
    public DataFile open(String name) throws IOException {
        if (strikes(Fault.OPEN_EIO)) {
            throw failure("open " + name);
        }
        return counted(real.open(name));
    }

    @Override
    public DataFile create(String name) throws IOException {
        if (strikes(Fault.CREATE_EIO)) {
            throw failure("create " + name);
        }
        return counted(real.create(name));
    }

    @Override
    public void delete(String name) throws IOException {
        if (strikes(Fault.DELETE_EIO)) {
            throw failure("unlink " + name);
        }
        real.delete(name);
    }

    @Override
    public void syncDirectory() throws IOException {
        if (strikes(Fault.DIRECTORY_SYNC_EIO)) {
            throw failure("fsync directory");
        }
        real.syncDirectory();
    }

    private synchronized DataFile counted(DataFile file) {
        openHandles++;
        return new Faulting(file);
    }

    private synchronized void closed() {
        openHandles--;
    }

    private final class Faulting implements DataFile {
        private final DataFile file;
        private boolean open = true;

        Faulting(DataFile file) {
            this.file = file;
        }

        @Override
        public int read(ByteBuffer dst, long position) throws IOException {
            boolean strike = strikes(Fault.READ_EIO, Fault.READ_SHORT);
            if (strike && fault == Fault.READ_EIO) {
                throw failure("pread");
            }
            if (strike && dst.remaining() > 1) {
                ByteBuffer half = dst.duplicate();
                half.limit(half.position() + dst.remaining() / 2);
                int n = file.read(half, position);
                if (n > 0) {
                    dst.position(dst.position() + n);
                }
                return n;
            }
            return file.read(dst, position);
        }

        @Override
        public int write(ByteBuffer src, long position) throws IOException {
            boolean strike = strikes(Fault.WRITE_EIO, Fault.WRITE_ENOSPC, Fault.WRITE_SHORT);
            if (strike && fault == Fault.WRITE_EIO) {
                throw failure("pwrite");
            }
            if (strike && src.remaining() > 1) {
                ByteBuffer half = src.duplicate();
                half.limit(half.position() + src.remaining() / 2);
                int n = half.remaining();
                file.writeFully(half, position);
                src.position(src.position() + n);
                if (fault == Fault.WRITE_ENOSPC) {
                    throw new IOException("No space left on device " + INJECTED + " after " + n + " bytes");
                }
                return n;
            }
            if (strike && fault == Fault.WRITE_ENOSPC) {
                throw new IOException("No space left on device " + INJECTED);
            }
            return file.write(src, position);
        }

        @Override
        public long size() throws IOException {
            if (strikes(Fault.SIZE_EIO)) {
                throw failure("fstat");
            }
            return file.size();
        }

        @Override
        public void truncate(long size) throws IOException {
            if (strikes(Fault.TRUNCATE_EIO)) {
                throw failure("ftruncate");
            }
            file.truncate(size);
        }

        @Override
        public void force() throws IOException {
            if (strikes(Fault.SYNC_EIO)) {
                throw failure("fdatasync");
            }
            file.force();
        }

        @Override
        public void close() throws IOException {
            synchronized (OneFaultDisk.this) {
                if (open) {
                    open = false;
                    closed();
                }
            }
            file.close();
        }
    }
}
