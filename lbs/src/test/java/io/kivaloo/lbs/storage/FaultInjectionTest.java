package io.kivaloo.lbs.storage;

import io.kivaloo.lbs.storage.OneFaultDisk.Fault;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.io.IOException;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Issue 19 item 8: every fault the disk can return, at every call of a fixed
 * workload, followed by a restart and a power loss; and a crash, a recovery
 * and a second crash at every pair of steps. Whatever happens, every block
 * some life reported (an acknowledged APPEND, or one a restart served) reads
 * back exactly in every later life; nothing else is ever reported
 * ({@link AckLedger}); a start-up that meets an error refuses, naming it,
 * and closes every handle it opened; a short read or write is no error at
 * all. Each test prints how many faults or crashes it injected
 * (docs/reliability.md quotes the counts).
 */
class FaultInjectionTest {

    private static final int BS = 512;
    private static final CrashingDisk.Loss[] POWER_LOSSES = {
            CrashingDisk.Loss.UNSYNCED, CrashingDisk.Loss.UNSYNCED_DATA_ZEROED, CrashingDisk.Loss.UNSYNCED_TORN};
    /** Block contents per life, so that a block number re-used after a dropped APPEND is told apart. */
    private static final long FIRST_LIFE = 1;
    private static final long SECOND_LIFE = 2;
    private static final long LAST_LIFE = 3;

    /**
     * The n-th call of one operation fails (or comes back short), for every
     * n; the process then stops, if the store stopped or refused to start;
     * it is restarted on what the kernel holds, APPENDs twice, and loses power
     * under each power-loss model.
     */
    @ParameterizedTest
    @EnumSource(Fault.class)
    void aFaultAtEveryCallOfTheWorkloadLosesNothingReported(Fault fault) throws IOException {
        long injected = 0;
        for (long n = 0; ; n++) {
            boolean reached = false;
            for (CrashingDisk.Loss loss : POWER_LOSSES) {
                CrashingDisk disk = new CrashingDisk(new MemoryDisk(), -1);
                OneFaultDisk faulty = new OneFaultDisk(disk, fault, n);
                String context = fault + " at call " + n + ", restart, 2 APPENDs, then " + loss;
                AckLedger ledger = new AckLedger(BS, context);
                IOException stopped = runWorkload(faulty, ledger);
                if (!faulty.injected()) {
                    assertThat(stopped).as(context).isNull();
                    break;
                }
                reached = true;
                injected++;
                assertThat(faulty.openHandles()).as("%s: handles left open", context).isZero();
                if (fault.isShortCount()) {
                    assertThat(stopped).as("%s: a short count is no error", context).isNull();
                } else if (stopped != null) {
                    assertThat(stopped).as(context).hasStackTraceContaining(OneFaultDisk.INJECTED);
                }
                restartAppendAndLosePower(disk, ledger, loss, n);
            }
            if (!reached) {
                break;
            }
        }
        System.out.printf("fault-injection workload fault=%s injected=%d%n", fault, injected);
        assertThat(injected).as("calls of %s in the workload", fault).isPositive();
    }

    /**
     * Errors during the start-up scan, on every directory a crash can leave:
     * the workload is killed at every step (or loses power, its unsynced
     * bytes zeroed, which leaves newly created files for the scan to
     * remove), and the restart's n-th call of one operation fails, for every
     * n. The start-up refuses (or, for a short count, succeeds); the next
     * start-up, a power loss and the one after that still find everything
     * reported.
     */
    @ParameterizedTest
    @EnumSource(Fault.class)
    void aFaultAtEveryCallOfStartUpAfterACrashAtEveryStep(Fault fault) throws IOException {
        long injected = 0;
        for (long step = 0; ; step++) {
            if (!killedAt(step)) {
                break;
            }
            for (CrashingDisk.Loss crash : new CrashingDisk.Loss[] {CrashingDisk.Loss.NOTHING, CrashingDisk.Loss.UNSYNCED_DATA_ZEROED}) {
                injected += startUpFaults(fault, step, crash);
            }
        }
        System.out.printf("fault-injection start-up fault=%s injected=%d%n", fault, injected);
        if (fault != Fault.CREATE_EIO && fault != Fault.WRITE_EIO && fault != Fault.WRITE_ENOSPC
                && fault != Fault.WRITE_SHORT) {
            // Start-up never creates or writes; it lists, opens, reads, sizes, cuts, deletes and syncs.
            assertThat(injected).as("calls of %s during start-up", fault).isPositive();
        }
    }

    /** The start-up after a crash at {@code step}, with its n-th call of {@code fault}'s operation failing, for every n. */
    private static long startUpFaults(Fault fault, long step, CrashingDisk.Loss crash) throws IOException {
        long injected = 0;
        for (long n = 0; ; n++) {
            MemoryDisk dir = new MemoryDisk();
            CrashingDisk first = new CrashingDisk(dir, step);
            String context = "crash (" + crash + ") at step " + step + ", " + fault + " at start-up call " + n;
            AckLedger ledger = new AckLedger(BS, context);
            runWorkload(first, ledger);
            CrashingDisk second;
            if (crash == CrashingDisk.Loss.NOTHING) {
                second = first.continueAfterKill(-1);
            } else {
                first.afterCrash(crash, step);
                second = new CrashingDisk(dir, -1);
            }
            OneFaultDisk faulty = new OneFaultDisk(second, fault, n);
            FileBlockStore store = null;
            try {
                store = FileBlockStore.open(faulty, BS, true);
            } catch (IOException refused) {
                assertThat(refused).as(context).hasStackTraceContaining(OneFaultDisk.INJECTED);
            }
            faulty.disarm(); // the check below reads through the same disk
            if (store != null) {
                try {
                    ledger.opened(store, "start-up with the fault");
                } finally {
                    store.close();
                }
            }
            assertThat(faulty.openHandles()).as("%s: handles left open", context).isZero();
            if (!faulty.injected()) {
                break;
            }
            injected++;
            if (fault.isShortCount()) {
                assertThat(store).as("%s: a short count is no error", context).isNotNull();
            }
            restartAppendAndLosePower(second, ledger, POWER_LOSSES[(int) ((step + n) % POWER_LOSSES.length)], step);
        }
        return injected;
    }

    /**
     * Crash, recover, crash again: a kill at every step of the workload, a
     * restart on what the kernel kept that APPENDs and FREEs, a second crash
     * at every step of that life (its start-up included), the directory left
     * as {@code loss} says, and a third life that must find everything the
     * first two reported.
     */
    @ParameterizedTest
    @EnumSource(CrashingDisk.Loss.class)
    void aCrashAtEveryStepOfTheRecoveryAfterACrashAtEveryStep(CrashingDisk.Loss loss) throws IOException {
        long crashes = 0;
        for (long step = 0; ; step++) {
            if (!killedAt(step)) {
                break;
            }
            for (long again = 0; ; again++) {
                MemoryDisk dir = new MemoryDisk();
                CrashingDisk first = new CrashingDisk(dir, step);
                String context = "kill at step " + step + ", restart, crash at its step " + again + ", then " + loss;
                AckLedger ledger = new AckLedger(BS, context);
                runWorkload(first, ledger);
                CrashingDisk second = first.continueAfterKill(again);
                runSecondLife(second, ledger);
                if (!second.crashed()) {
                    break;
                }
                crashes++;
                second.afterCrash(loss, step * 1000 + again);
                try (FileBlockStore store = FileBlockStore.open(dir, BS, true)) {
                    ledger.opened(store, "third life");
                    ledger.append(store, 2, LAST_LIFE);
                    ledger.check(store, context + ", third life after its APPEND");
                }
            }
        }
        System.out.printf("fault-injection crash-recover-crash loss=%s crashes=%d%n", loss, crashes);
        assertThat(crashes).as("pairs of crash steps").isGreaterThan(500);
    }

    /** Whether the workload makes more than {@code step} changes to the disk. */
    private static boolean killedAt(long step) throws IOException {
        CrashingDisk probe = new CrashingDisk(new MemoryDisk(), step);
        runWorkload(probe, new AckLedger(BS, "probe"));
        return probe.crashed();
    }

    /**
     * The first life: APPENDs into new and existing files, reads, FREEs of
     * several files, and a clean restart in the middle, so that the start-up
     * scan's calls are part of it. Returns the failure that stopped it (the
     * process then exits), or null.
     */
    private static IOException runWorkload(Disk disk, AckLedger ledger) {
        FileBlockStore store = null;
        try {
            store = FileBlockStore.open(disk, BS, true);
            ledger.opened(store, "first life");
            for (int count : new int[] {1, 1, 3, 1, 2, 5, 1}) {
                ledger.append(store, count, FIRST_LIFE);
            }
            ledger.free(store, 4);
            readBack(store, ledger);
            FileBlockStore before = store;
            store = null;
            before.close();
            store = FileBlockStore.open(disk, BS, true);
            ledger.opened(store, "first life, after a clean restart");
            for (int count : new int[] {1, 40, 2, 1}) {
                ledger.append(store, count, FIRST_LIFE);
            }
            readBack(store, ledger);
            ledger.free(store, ledger.reportedNext() - 1);
            ledger.append(store, 3, FIRST_LIFE);
            ledger.free(store, ledger.reportedNext());
            ledger.append(store, 1, FIRST_LIFE);
            return null;
        } catch (IOException e) {
            return e;
        } finally {
            if (store != null) {
                store.close();
            }
        }
    }

    /** Reads as a client would: an injected read error fails that read only, and the store goes on. */
    private static void readBack(FileBlockStore store, AckLedger ledger) {
        for (long b = store.minBlock(); b < store.nextBlock(); b++) {
            try {
                assertThat(store.read(b)).isEqualTo(ledger.expected(b));
            } catch (IOException e) {
                assertThat(e).hasMessageContaining(OneFaultDisk.INJECTED);
                assertThat(store.failure()).as("a read error stops nothing").isNull();
            }
        }
    }

    /** A life started on what the first one left: APPENDs into new and existing files and a FREE. */
    private static void runSecondLife(Disk disk, AckLedger ledger) {
        try (FileBlockStore store = FileBlockStore.open(disk, BS, true)) {
            ledger.opened(store, "second life");
            ledger.append(store, 1, SECOND_LIFE);
            ledger.append(store, 3, SECOND_LIFE);
            ledger.free(store, ledger.reportedNext() - 2);
            ledger.append(store, 2, SECOND_LIFE);
        } catch (IOException crashed) {
            // The second life ends here; what it reported is in the ledger.
        }
    }

    /**
     * The process restarts on what the kernel holds (nothing synced since),
     * APPENDs twice, and the machine loses power; the life after that must
     * find everything reported.
     */
    private static void restartAppendAndLosePower(CrashingDisk previous, AckLedger ledger, CrashingDisk.Loss loss,
                                                  long seed) throws IOException {
        CrashingDisk restarted = previous.continueAfterKill(-1);
        try (FileBlockStore store = FileBlockStore.open(restarted, BS, true)) {
            ledger.opened(store, "restart");
            ledger.append(store, 1, SECOND_LIFE);
            ledger.append(store, 2, SECOND_LIFE);
        }
        restarted.afterCrash(loss, seed);
        try (FileBlockStore store = FileBlockStore.open(restarted.directory(), BS, true)) {
            ledger.opened(store, "after " + loss);
            ledger.append(store, 1, LAST_LIFE);
        }
    }
}
