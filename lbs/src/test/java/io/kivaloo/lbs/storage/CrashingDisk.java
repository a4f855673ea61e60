package io.kivaloo.lbs.storage;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;

/**
 * A {@link Disk} over a {@link MemoryDisk} that "crashes" at a chosen step: the
 * n-th call that changes the disk (create, write, truncate, fsync, delete,
 * directory fsync) throws instead of running, and so does every later call.
 * It remembers what had not been made durable yet, so that a test can then
 * model what a power loss would have left ({@link #afterCrash(Loss)}) before
 * reopening the directory through the {@link MemoryDisk} itself: bytes written past a
 * file's durable length, and also the durable bytes that an unsynced write
 * overwrote (a small APPEND into the zero reserve) or an unsynced truncation
 * cut off; a power loss may give those back.
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

    private final MemoryDisk real;
    private final long crashAtStep;
    private long steps;
    private boolean crashed;
    /** Length of each file known to be durable (after its last fsync, or when first opened). */
    private final Map<String, Long> durableLength = new HashMap<>();
    /**
     * Per file, the durable bytes that unsynced writes and truncations have
     * changed since its last fsync, oldest first; undone newest first.
     */
    private final Map<String, List<Undo>> undo = new HashMap<>();
    /** Names created since the last directory fsync. */
    private final Set<String> unsyncedCreates = new HashSet<>();
    /** Names deleted since the last directory fsync (kept renamed until then). */
    private final Set<String> unsyncedDeletes = new HashSet<>();

    /** @param crashAtStep the 0-based step that crashes; negative for never */
    CrashingDisk(MemoryDisk real, long crashAtStep) {
        this.real = real;
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
        CrashingDisk next = new CrashingDisk(real, crashAtStep);
        next.durableLength.putAll(durableLength);
        undo.forEach((name, list) -> next.undo.put(name, new ArrayList<>(list)));
        next.unsyncedCreates.addAll(unsyncedCreates);
        next.unsyncedDeletes.addAll(unsyncedDeletes);
        return next;
    }

    /** The directory underneath, for the life after a crash. */
    MemoryDisk directory() {
        return real;
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
        return "crashing:" + real.describe();
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
        real.rename(name, name + UNLINKED_SUFFIX);
        unsyncedDeletes.add(name);
    }

    @Override
    public void syncDirectory() throws IOException {
        step("fsync directory");
        for (String name : unsyncedDeletes) {
            real.delete(name + UNLINKED_SUFFIX);
        }
        unsyncedDeletes.clear();
        unsyncedCreates.clear();
    }

    /** Leaves the directory as {@code loss} says the crash would have. */
    void afterCrash(Loss loss, long seed) throws IOException {
        Random random = new Random(seed);
        if (loss == Loss.NOTHING || loss == Loss.UNSYNCED_DATA_ZEROED) {
            for (String name : unsyncedDeletes) {
                real.delete(name + UNLINKED_SUFFIX);
            }
        } else {
            for (String name : unsyncedDeletes) {
                real.rename(name + UNLINKED_SUFFIX, name);
            }
            for (String name : unsyncedCreates) {
                if (real.exists(name)) {
                    real.delete(name);
                }
            }
        }
        unsyncedDeletes.clear();
        if (loss == Loss.NOTHING) {
            return;
        }
        for (Map.Entry<String, Long> entry : durableLength.entrySet()) {
            if (!real.exists(entry.getKey())) {
                continue;
            }
            long durable = entry.getValue();
            try (DataFile file = real.open(entry.getKey())) {
                undoOverwrites(file, undo.getOrDefault(entry.getKey(), List.of()), loss, random);
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

    /**
     * What a power loss does to durable bytes changed since the last fsync:
     * they revert ({@code UNSYNCED}), read as zeros where the length reached
     * the disk ({@code UNSYNCED_DATA_ZEROED}), or revert in their first half
     * and turn to garbage in the second ({@code UNSYNCED_TORN}).
     */
    private static void undoOverwrites(DataFile file, List<Undo> changes, Loss loss, Random random) throws IOException {
        for (int i = changes.size() - 1; i >= 0; i--) {
            Undo change = changes.get(i);
            byte[] old = change.bytes();
            switch (loss) {
                case UNSYNCED:
                    write(file, change.position(), old);
                    break;
                case UNSYNCED_DATA_ZEROED: {
                    long within = Math.max(0, Math.min(old.length, file.size() - change.position()));
                    write(file, change.position(), new byte[(int) within]);
                    break;
                }
                case UNSYNCED_TORN: {
                    byte[] torn = old.clone();
                    byte[] garbage = new byte[old.length - old.length / 2];
                    random.nextBytes(garbage);
                    System.arraycopy(garbage, 0, torn, old.length / 2, garbage.length);
                    write(file, change.position(), torn);
                    break;
                }
                default:
                    throw new AssertionError(loss);
            }
        }
    }

    /** Durable bytes of one file as they were before an unsynced change. */
    private record Undo(long position, byte[] bytes) {
    }

    /** Saves the durable bytes in {@code [from, to)} of {@code name} before an unsynced change overwrites or cuts them. */
    private void saveDurable(String name, DataFile file, long from, long to) throws IOException {
        long end = Math.min(to, Math.min(durableLength.getOrDefault(name, 0L), file.size()));
        if (from >= end) {
            return;
        }
        ByteBuffer old = ByteBuffer.allocate((int) (end - from));
        file.readFully(old, from);
        undo.computeIfAbsent(name, k -> new ArrayList<>()).add(new Undo(from, old.array()));
    }

    private static void write(DataFile file, long position, byte[] bytes) throws IOException {
        file.writeFully(ByteBuffer.wrap(bytes), position);
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
        public int write(ByteBuffer src, long position) throws IOException {
            if (!crashed && steps == crashAtStep) {
                // A process killed inside write(2): the kernel may have taken part of the buffer.
                ByteBuffer half = src.duplicate();
                half.limit(half.position() + half.remaining() / 2);
                saveDurable(name, file, position, position + half.remaining());
                file.writeFully(half, position);
            }
            step("write " + name);
            saveDurable(name, file, position, position + src.remaining());
            return file.write(src, position);
        }

        @Override
        public long size() throws IOException {
            alive();
            return file.size();
        }

        @Override
        public void truncate(long size) throws IOException {
            step("truncate " + name);
            saveDurable(name, file, size, Long.MAX_VALUE);
            file.truncate(size);
        }

        @Override
        public void force() throws IOException {
            step("fsync " + name);
            // No real fdatasync: durability is this class's model (afterCrash), and the
            // exhaustive tests run thousands of scenarios on a shared disk.
            durableLength.put(name, file.size());
            undo.remove(name);
        }

        @Override
        public void close() throws IOException {
            file.close();
        }
    }
}
