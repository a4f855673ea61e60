package io.kivaloo.lbs.storage;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * An immutable snapshot of the store's extent: which blocks are readable and
 * which file holds each. Readers take the current snapshot without locking;
 * the writer and the deleter publish a new one after changing the disk.
 *
 * @param minBlock  lowest stored block: the first file's first block (0 when empty)
 * @param nextBlock the block the next APPEND must start at
 * @param files     the files in block order; each starts where the previous ends,
 *                  the last one ends at {@code nextBlock}
 */
record FileTable(long minBlock, long nextBlock, List<BlockFile> files) {

    static final FileTable EMPTY = new FileTable(0, 0, List.of());

    static FileTable of(List<BlockFile> files, long nextBlock) {
        long min = files.isEmpty() ? nextBlock : files.get(0).firstBlock();
        return new FileTable(min, nextBlock, Collections.unmodifiableList(new ArrayList<>(files)));
    }

    boolean contains(long block) {
        return Long.compareUnsigned(block, minBlock) >= 0 && Long.compareUnsigned(block, nextBlock) < 0;
    }

    /** The file holding {@code block}, which must be {@link #contains contained}. */
    BlockFile fileFor(long block) {
        int lo = 0;
        int hi = files.size() - 1;
        while (lo < hi) {
            int mid = (lo + hi + 1) >>> 1;
            if (Long.compareUnsigned(files.get(mid).firstBlock(), block) <= 0) {
                lo = mid;
            } else {
                hi = mid - 1;
            }
        }
        return files.get(lo);
    }

    BlockFile lastFile() {
        return files.get(files.size() - 1);
    }

    /** Blocks stored in the last file. */
    long lastFileBlocks() {
        return files.isEmpty() ? 0 : nextBlock - lastFile().firstBlock();
    }

    FileTable withNextBlock(long next) {
        return new FileTable(minBlock, next, files);
    }

    FileTable withNewLastFile(BlockFile file, long next) {
        List<BlockFile> more = new ArrayList<>(files);
        more.add(file);
        return of(more, next);
    }

    FileTable withoutFirstFile() {
        return of(files.subList(1, files.size()), nextBlock);
    }
}
