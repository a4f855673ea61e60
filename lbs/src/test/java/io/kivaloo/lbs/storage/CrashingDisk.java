package io.kivaloo.lbs.storage;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;

/**
 * A {@link Disk} over a real directory that "crashes" at a chosen step: the
 * n-th call that changes the disk (create, write, truncate, fsync, delete,
 * directory fsync) throws instead of running, and so does every later call.
 * It remembers what had not been made durable yet, so that a test can then
 * model what a power loss would have left ({@link #afterCrash(Loss)}) before
 * reopening the directory with a plain {@link NioDisk}.
 */
final class CrashingDisk implements Disk {

    /** What survives the crash. */
    enum Loss {
        /** Process killed: the kernel keeps everything written. */
        NOTHING,
        /** Power loss: unsynced bytes and unsynced directory changes are gone. */
        UNSYNCED,
        /** Power loss after the lengths but not the data reached disk: unsynced bytes read as zeros. */
        UNSYNCED_DATA_ZEROED,
        /** Torn write: half the unsynced bytes survive, the rest is garbage; new names are lost. */
        UNSYNCED_TORN
    }

    static final class SimulatedCrash extends IOException {
        private static final long serialVersionUID = 1L;

        SimulatedCrash(String message) {
            super(message);
        }
    }

    private static final String UNLINKED_SUFFIX = ".unlinked";

    private final NioDisk real;
    private final Path directory;
    private final long crashAtStep;
    private long steps;
    private boolean crashed;
    /** Length of each file known to be durable (after its last fsync, or when first opened). */
    private final Map<String, Long> durableLength = new HashMap<>();
    /** Names created since the last directory fsync. */
    private final Set<String> unsyncedCreates = new HashSet<>();
    /** Names deleted since the last directory fsync (kept renamed until then). */
    private final Set<String> unsyncedDeletes = new HashSet<>();

    /** @param crashAtStep the 0-based step that crashes; negative for never */
    CrashingDisk(Path directory, long crashAtStep) {
        this.real = new NioDisk(directory);
        this.directory = directory;
        this.crashAtStep = crashAtStep;
    }

    /**
     * The same directory after the process was killed and started again on a
     * machine that kept running: the kernel still holds what the crash left
     * unsynced, so it stays unsynced (and the names created or deleted since
     * the last directory fsync stay undecided) until the new process syncs
     * them. Steps count anew; a later {@link #afterCrash} then models a power
     * loss that takes away whatever neither life made durable.
     */
    CrashingDisk continueAfterKill(long crashAtStep) {
        CrashingDisk next = new CrashingDisk(directory, crashAtStep);
        next.durableLength.putAll(durableLength);
        next.unsyncedCreates.addAll(unsyncedCreates);
        next.unsyncedDeletes.addAll(unsyncedDeletes);
        return next;
    }

    boolean crashed() {
        return crashed;
    }

    long steps() {
        return steps;
    }

    private void step(String what) throws IOException {
        if (crashed) {
            throw new SimulatedCrash("disk is gone after the crash (" + what + ")");
        }
        if (steps++ == crashAtStep) {
            crashed = true;
            throw new SimulatedCrash("simulated crash at step " + crashAtStep + " before " + what);
        }
    }

    private void alive() throws IOException {
        if (crashed) {
            throw new SimulatedCrash("disk is gone after the crash");
        }
    }

    @Override
    public String describe() {
        return "crashing:" + directory;
    }

    @Override
    public List<String> listRegularFiles() throws IOException {
        alive();
        // Deleted names wait as "<name>.unlinked" for a directory fsync; a process does not see them.
        return real.listRegularFiles().stream().filter(name -> !name.endsWith(UNLINKED_SUFFIX)).toList();
    }

    @Override
    public DataFile open(String name) throws IOException {
        alive();
        DataFile file = real.open(name);
        durableLength.putIfAbsent(name, file.size());
        return new Tracked(name, file);
    }

    @Override
    public DataFile create(String name) throws IOException {
        step("create " + name);
        DataFile file = real.create(name);
        durableLength.put(name, 0L);
        unsyncedCreates.add(name);
        return new Tracked(name, file);
    }

    @Override
    public void delete(String name) throws IOException {
        step("delete " + name);
        Files.move(directory.resolve(name), directory.resolve(name + UNLINKED_SUFFIX));
        unsyncedDeletes.add(name);
    }

    @Override
    public void syncDirectory() throws IOException {
        step("fsync directory");
        for (String name : unsyncedDeletes) {
            Files.delete(directory.resolve(name + UNLINKED_SUFFIX));
        }
        unsyncedDeletes.clear();
        unsyncedCreates.clear();
    }

    /** Leaves the directory as {@code loss} says the crash would have. */
    void afterCrash(Loss loss, long seed) throws IOException {
        Random random = new Random(seed);
        if (loss == Loss.NOTHING || loss == Loss.UNSYNCED_DATA_ZEROED) {
            for (String name : unsyncedDeletes) {
                Files.delete(directory.resolve(name + UNLINKED_SUFFIX));
            }
        } else {
            for (String name : unsyncedDeletes) {
                Files.move(directory.resolve(name + UNLINKED_SUFFIX), directory.resolve(name));
            }
            for (String name : unsyncedCreates) {
                Files.deleteIfExists(directory.resolve(name));
            }
        }
        unsyncedDeletes.clear();
        if (loss == Loss.NOTHING) {
            return;
        }
        for (Map.Entry<String, Long> entry : durableLength.entrySet()) {
            Path path = directory.resolve(entry.getKey());
            if (!Files.exists(path)) {
                continue;
            }
            long durable = entry.getValue();
            try (FileChannel file = FileChannel.open(path, StandardOpenOption.WRITE)) {
                long size = file.size();
                if (size <= durable) {
                    continue;
                }
                long lost = size - durable;
                switch (loss) {
                    case UNSYNCED:
                        file.truncate(durable);
                        break;
                    case UNSYNCED_DATA_ZEROED:
                        write(file, durable, new byte[(int) lost]);
                        break;
                    case UNSYNCED_TORN: {
                        byte[] garbage = new byte[(int) (lost - lost / 2)];
                        random.nextBytes(garbage);
                        write(file, durable + lost / 2, garbage);
                        break;
                    }
                    default:
                        throw new AssertionError(loss);
                }
            }
        }
    }

    private static void write(FileChannel file, long position, byte[] bytes) throws IOException {
        ByteBuffer buffer = ByteBuffer.wrap(bytes);
        long at = position;
        while (buffer.hasRemaining()) {
            at += file.write(buffer, at);
        }
    }

    private final class Tracked implements DataFile {
        private final String name;
        private final DataFile file;

        Tracked(String name, DataFile file) {
            this.name = name;
            this.file = file;
        }

        @Override
        public int read(ByteBuffer dst, long position) throws IOException {
            alive();
            return file.read(dst, position);
        }

        @Override
        public void write(ByteBuffer src, long position) throws IOException {
            if (!crashed && steps == crashAtStep) {
                // A process killed inside write(2): the kernel may have taken part of the buffer.
                ByteBuffer half = src.duplicate();
                half.limit(half.position() + half.remaining() / 2);
                file.write(half, position);
            }
            step("write " + name);
            file.write(src, position);
        }

        @Override
        public long size() throws IOException {
            alive();
            return file.size();
        }

        @Override
        public void truncate(long size) throws IOException {
            step("truncate " + name);
            file.truncate(size);
        }

        @Override
        public void force() throws IOException {
            step("fsync " + name);
            file.force();
            durableLength.put(name, file.size());
        }

        @Override
        public void close() throws IOException {
            file.close();
        }
    }
}
