package io.kivaloo.proto.lbs;

/**
 * A response of the LBS protocol (lbs.md §2). Responses carry no type: the
 * requester knows from the request ID which request one answers.
 */
public sealed interface LbsResponse {

    /** Status word of a successful or present answer. */
    int STATUS_OK = 0;
    /** Status word of an absent block or a refused APPEND. */
    int STATUS_FAIL = 1;

    /** {@code [u32 blockSize][u64 nextBlock]}. */
    record Params(int blockSize, long nextBlock) implements LbsResponse {
    }

    /**
     * {@code [u32 blockSize][u64 nextBlock][u64 lastBlock]}; lastBlock is
     * nextBlock - 1, or 2^64-1 for an empty store.
     */
    record Params2(int blockSize, long nextBlock, long lastBlock) implements LbsResponse {

        /** The answer for a store whose next block is {@code nextBlock}, as the C lbs derives it. */
        public static Params2 of(int blockSize, long nextBlock) {
            return new Params2(blockSize, nextBlock, nextBlock - 1);
        }
    }

    /** {@code [u32 0][block bytes]} when present, {@code [u32 1]} when absent ({@code block == null}). */
    record Get(byte[] block) implements LbsResponse {

        public static final Get ABSENT = new Get(null);

        public boolean present() {
            return block != null;
        }

        @Override
        public String toString() {
            return present() ? "Get[length=" + block.length + "]" : "Get[absent]";
        }
    }

    /** {@code [u32 0][u64 nextBlock]} when accepted, {@code [u32 1]} when refused. */
    record Append(boolean accepted, long nextBlock) implements LbsResponse {

        public static final Append REFUSED = new Append(false, 0);

        @Override
        public String toString() {
            return accepted ? "Append[nextBlock=" + Long.toUnsignedString(nextBlock) + "]" : "Append[refused]";
        }
    }

    /** {@code [u32 0]}, sent at once whatever the deletion does. */
    record Free() implements LbsResponse {
        public static final Free OK = new Free();
    }
}
