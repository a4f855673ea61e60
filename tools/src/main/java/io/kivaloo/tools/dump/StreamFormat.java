package io.kivaloo.tools.dump;

/**
 * The dump stream of the original kvlds-dump (mux.md §3), on stdout and
 * stdin: the pairs in key order, each as
 * <pre>
 *   +------+-----------+------+-------------+
 *   | klen | key       | vlen | value       |
 *   | 1 B  | klen B    | 1 B  | vlen B      |
 *   +------+-----------+------+-------------+
 * </pre>
 * lengths unsigned (0..255), concatenated with no header, trailer or
 * checksum. The end of the input before a klen byte is the end of the dump;
 * the end anywhere else is a truncated dump. Each pair costs
 * {@code 2 + klen + vlen} bytes, the same count RANGE budgets use.
 */
final class StreamFormat {

    /** Bytes of one length prefix. */
    static final int LENGTH_BYTES = 1;

    private StreamFormat() {
    }

    /** Bytes {@code key} and {@code value} take in a dump stream. */
    static long pairBytes(int keyLength, int valueLength) {
        return 2L * LENGTH_BYTES + keyLength + valueLength;
    }
}
