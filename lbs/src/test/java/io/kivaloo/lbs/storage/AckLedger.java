package io.kivaloo.lbs.storage;

import java.io.IOException;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What the block store told its client across crashes and restarts, and the
 * check every later life must pass. A block counts as reported once an
 * APPEND of it was acknowledged, or once a restarted store served it (its
 * nextBlock lay beyond it): kvlds builds on both. Every reported block at or
 * above the highest FREE argument must read back with its exact bytes,
 * nextBlock may never fall below the highest one reported, and it may exceed
 * it only by the whole APPEND that was in flight when the last life ended.
 */
final class AckLedger {

    private final int blockSize;
    /** Generation whose bytes each reported block holds (BlockModel), indexed by block number. */
    private final long[] generation = new long[4096];
    /** Highest nextBlock any life reported. */
    private long reportedNext;
    /** The APPEND a life had started but not seen acknowledged; -1 for none. */
    private long inFlightStart = -1;
    private int inFlightCount;
    private long inFlightGeneration;
    private long freedBelow;
    private final String context;

    AckLedger(int blockSize, String context) {
        this.blockSize = blockSize;
        this.context = context;
    }

    long reportedNext() {
        return reportedNext;
    }

    /** The bytes reported block {@code block} must hold. */
    byte[] expected(long block) {
        return BlockModel.block(blockSize, block, generation[(int) block]);
    }

    /** APPENDs {@code count} blocks of generation {@code gen} at the store's nextBlock; records them once acknowledged. */
    long append(FileBlockStore store, int count, long gen) throws IOException {
        long first = store.nextBlock();
        assertThat(first).as(context).isEqualTo(reportedNext);
        inFlightStart = first;
        inFlightCount = count;
        inFlightGeneration = gen;
        long next = store.append(first, BlockModel.blocks(blockSize, first, count, gen), count);
        assertThat(next).as(context).isEqualTo(first + count);
        report(first, next, gen);
        return next;
    }

    /** FREE is acknowledged before it runs: the promise is only "nothing at or above {@code below}". */
    void free(FileBlockStore store, long below) throws IOException {
        freedBelow = Math.max(freedBelow, below);
        store.free(below);
    }

    /**
     * A life has opened the store: checks it against everything reported
     * before, and takes what it serves from now on as reported.
     */
    void opened(FileBlockStore store, String life) throws IOException {
        String where = context + ", " + life;
        long next = store.nextBlock();
        if (inFlightStart >= 0 && next != reportedNext) {
            assertThat(next).as("%s: nextBlock is the last reported one or the whole APPEND in flight", where)
                    .isEqualTo(inFlightStart + inFlightCount);
            report(inFlightStart, next, inFlightGeneration);
        } else {
            assertThat(next).as("%s: nextBlock", where).isEqualTo(reportedNext);
        }
        inFlightStart = -1;
        check(store, where);
    }

    /** Every reported block that no FREE released reads back exactly; nothing is served beyond nextBlock. */
    void check(FileBlockStore store, String where) throws IOException {
        assertThat(store.minBlock()).as(where).isLessThanOrEqualTo(Math.max(freedBelow, 0));
        for (long b = store.minBlock(); b < reportedNext; b++) {
            byte[] got = store.read(b);
            if (b < freedBelow && got == null) {
                continue; // released by a FREE: absent is a correct answer
            }
            assertThat(got).as("%s: block %d", where, b).isEqualTo(expected(b));
        }
        assertThat(store.read(reportedNext)).as("%s: block at nextBlock", where).isNull();
    }

    private void report(long first, long end, long gen) {
        for (long b = first; b < end; b++) {
            generation[(int) b] = gen;
        }
        reportedNext = end;
        inFlightStart = -1;
    }
}
