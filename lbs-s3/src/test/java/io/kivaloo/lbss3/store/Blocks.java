package io.kivaloo.lbss3.store;

import java.util.Random;

/** Block contents for tests: each block's bytes derive from its number and a tag, so misplaced data shows. */
final class Blocks {

    private Blocks() {
    }

    static byte[] of(long first, int count, int tag, int blockSize) {
        byte[] data = new byte[count * blockSize];
        for (int i = 0; i < count; i++) {
            byte[] block = block(first + i, tag, blockSize);
            System.arraycopy(block, 0, data, i * blockSize, blockSize);
        }
        return data;
    }

    static byte[] block(long number, int tag, int blockSize) {
        byte[] block = new byte[blockSize];
        new Random(number * 1_000_003L + tag).nextBytes(block);
        return block;
    }
}
