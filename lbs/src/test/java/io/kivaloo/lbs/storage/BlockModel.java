package io.kivaloo.lbs.storage;

import java.util.Random;

/** Deterministic block contents, so that any block's expected bytes can be recomputed from its number. */
final class BlockModel {

    private BlockModel() {
    }

    /** The bytes test code writes as block {@code block} in generation {@code generation}. */
    static byte[] block(int blockSize, long block, long generation) {
        byte[] data = new byte[blockSize];
        new Random(block * 1_000_003L + generation).nextBytes(data);
        return data;
    }

    /** {@code count} consecutive blocks from {@code first}, back to back. */
    static byte[] blocks(int blockSize, long first, int count, long generation) {
        byte[] data = new byte[count * blockSize];
        for (int i = 0; i < count; i++) {
            System.arraycopy(block(blockSize, first + i, generation), 0, data, i * blockSize, blockSize);
        }
        return data;
    }
}
