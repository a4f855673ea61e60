package io.kivaloo.proto.kvlds;

/**
 * A request of the KVLDS protocol (kvlds.md §2): a big-endian u32 type, then
 * kvlds strings (one length byte plus bytes). Modifying requests (SET, CAS,
 * ADD, MODIFY, DELETE, CAD) are batched by kvlds; GET and RANGE read the
 * committed tree; PARAMS is answered at once.
 */
public sealed interface KvldsRequest {

    int PARAMS = 0x00000100;
    int SET = 0x00000110;
    int CAS = 0x00000111;
    int ADD = 0x00000112;
    int MODIFY = 0x00000113;
    int DELETE = 0x00000120;
    int CAD = 0x00000121;
    int GET = 0x00000130;
    int RANGE = 0x00000131;

    /** The wire type code. */
    int type();

    /** True for the requests that kvlds runs in group-commit batches. */
    default boolean modifies() {
        return false;
    }

    /** Requests that name one key. */
    interface Keyed {
        Key key();
    }

    /** Modifying requests: they name a key and may change it. */
    sealed interface Modifying extends KvldsRequest, Keyed {
        @Override
        default boolean modifies() {
            return true;
        }
    }

    record Params() implements KvldsRequest {
        public int type() {
            return PARAMS;
        }
    }

    /** Store {@code value} under {@code key}; always succeeds. */
    record Set(Key key, Key value) implements Modifying {
        public int type() {
            return SET;
        }
    }

    /** Replace the value with {@code value} if it is currently {@code oldValue}. */
    record Cas(Key key, Key oldValue, Key value) implements Modifying {
        public int type() {
            return CAS;
        }
    }

    /** Store {@code value} if {@code key} is absent. */
    record Add(Key key, Key value) implements Modifying {
        public int type() {
            return ADD;
        }
    }

    /** Store {@code value} if {@code key} is present. */
    record Modify(Key key, Key value) implements Modifying {
        public int type() {
            return MODIFY;
        }
    }

    /** Remove {@code key} if present; always succeeds. */
    record Delete(Key key) implements Modifying {
        public int type() {
            return DELETE;
        }
    }

    /** Remove {@code key} if its value is {@code oldValue}. */
    record Cad(Key key, Key oldValue) implements Modifying {
        public int type() {
            return CAD;
        }
    }

    record Get(Key key) implements KvldsRequest, Keyed {
        public int type() {
            return GET;
        }
    }

    /**
     * Pairs with {@code start <= key < end} ({@code end} empty: no upper bound),
     * about {@code maxBytes} of them counted as 2 + |key| + |value| each.
     *
     * @param maxBytes unsigned 32-bit budget, 0..2^32-1
     */
    record Range(long maxBytes, Key start, Key end) implements KvldsRequest {
        public Range {
            if (maxBytes < 0 || maxBytes > 0xffffffffL) {
                throw new IllegalArgumentException("maxBytes: " + maxBytes + " (expected: 0..2^32-1)");
            }
        }

        public int type() {
            return RANGE;
        }
    }
}
