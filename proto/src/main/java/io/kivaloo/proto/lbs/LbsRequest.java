package io.kivaloo.proto.lbs;

/**
 * A request of the LBS protocol (lbs.md §2). Every record starts with a
 * big-endian u32 type; the rest is given per message. Block numbers are
 * unsigned 64-bit.
 */
public sealed interface LbsRequest {

    int PARAMS = 0x00000000;
    int GET = 0x00000001;
    int APPEND = 0x00000002;
    int FREE = 0x00000003;
    int PARAMS2 = 0x00000004;

    /** The wire type code. */
    int type();

    /** {@code [type]}: block size and next block (obsolete, still used by the C tests). */
    record Params() implements LbsRequest {
        public int type() {
            return PARAMS;
        }
    }

    /** {@code [type]}: block size, next block and last block. */
    record Params2() implements LbsRequest {
        public int type() {
            return PARAMS2;
        }
    }

    /** {@code [type][u64 block]}: read one block. */
    record Get(long block) implements LbsRequest {
        public int type() {
            return GET;
        }

        @Override
        public String toString() {
            return "Get[block=" + Long.toUnsignedString(block) + "]";
        }
    }

    /**
     * {@code [type][u32 count][u64 block][count × blockLength bytes]}: write
     * {@code count} blocks starting at {@code block}. Note the count comes
     * before the block number on the wire.
     */
    record Append(int count, long block, byte[] data) implements LbsRequest {
        public Append {
            if (count <= 0) {
                throw new IllegalArgumentException("count: " + count + " (expected: > 0)");
            }
            if (data.length % count != 0) {
                throw new IllegalArgumentException("data length " + data.length + " is not a multiple of count " + count);
            }
        }

        public int type() {
            return APPEND;
        }

        /** Bytes per block implied by the payload. */
        public int blockLength() {
            return data.length / count;
        }

        @Override
        public String toString() {
            return "Append[count=" + count + ", block=" + Long.toUnsignedString(block) + ", length=" + data.length + "]";
        }
    }

    /** {@code [type][u64 block]}: blocks below {@code block} may be deleted (advisory). */
    record Free(long block) implements LbsRequest {
        public int type() {
            return FREE;
        }

        @Override
        public String toString() {
            return "Free[block=" + Long.toUnsignedString(block) + "]";
        }
    }
}
