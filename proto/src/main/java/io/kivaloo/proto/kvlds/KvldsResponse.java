package io.kivaloo.proto.kvlds;

import java.util.List;

/**
 * A response of the KVLDS protocol (kvlds.md §2). Responses carry no type:
 * the requester knows from the request ID which request one answers.
 */
public sealed interface KvldsResponse {

    int STATUS_OK = 0;
    int STATUS_FAIL = 1;

    /** {@code [u32 maxKeyLength][u32 maxValueLength]}. */
    record Params(int maxKeyLength, int maxValueLength) implements KvldsResponse {
    }

    /**
     * {@code [u32 status]}: 0 when the request took effect; 1 when a condition
     * failed (CAS, ADD, MODIFY, CAD). SET and DELETE always answer 0.
     */
    record Status(int status) implements KvldsResponse {

        public static final Status OK = new Status(STATUS_OK);
        public static final Status FAIL = new Status(STATUS_FAIL);

        public static Status of(boolean ok) {
            return ok ? OK : FAIL;
        }

        public boolean ok() {
            return status == STATUS_OK;
        }
    }

    /** {@code [u32 0][str value]} when present, {@code [u32 1]} when absent ({@code value == null}). */
    record Get(Key value) implements KvldsResponse {

        public static final Get ABSENT = new Get(null);

        public boolean present() {
            return value != null;
        }
    }

    /**
     * {@code [u32 0][u32 n][str next]} then n pairs: every stored key in
     * [start, next) was returned; {@code next} empty means the keyspace has
     * been covered to its end.
     */
    record Range(Key next, List<Pair> pairs) implements KvldsResponse {
        public Range {
            pairs = List.copyOf(pairs);
        }
    }

    /** One key-value pair of a RANGE answer. */
    record Pair(Key key, Key value) {

        /** Bytes this pair counts against a RANGE budget: 2 + |key| + |value|. */
        public int serializedSize() {
            return 2 + key.length() + value.length();
        }
    }
}
