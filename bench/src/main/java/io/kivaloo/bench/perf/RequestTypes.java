package io.kivaloo.bench.perf;

import java.util.Map;

/**
 * perf's names for request types (perf/reqtypes.c; mux.md §2.2): the first 4
 * bytes of a request record, big-endian. Anything else is {@code UNKNOWN}, each
 * distinct value in its own entry.
 */
public final class RequestTypes {

    /** The type of a record shorter than 4 bytes. */
    public static final int SHORT_RECORD = 0xFFFFFFFF;

    private static final Map<Integer, String> NAMES = Map.ofEntries(
            Map.entry(0x00000000, "LBS_PARAMS"),
            Map.entry(0x00000001, "LBS_GET"),
            Map.entry(0x00000002, "LBS_APPEND"),
            Map.entry(0x00000003, "LBS_FREE"),
            Map.entry(0x00000004, "LBS_PARAMS2"),
            Map.entry(0x00000100, "KVLDS_PARAMS"),
            Map.entry(0x00000110, "KVLDS_SET"),
            Map.entry(0x00000111, "KVLDS_CAS"),
            Map.entry(0x00000112, "KVLDS_ADD"),
            Map.entry(0x00000113, "KVLDS_MODIFY"),
            Map.entry(0x00000120, "KVLDS_DELETE"),
            Map.entry(0x00000121, "KVLDS_CAD"),
            Map.entry(0x00000130, "KVLDS_GET"),
            Map.entry(0x00000131, "KVLDS_RANGE"),
            Map.entry(0x00010000, "S3_PUT"),
            Map.entry(0x00010010, "S3_GET"),
            Map.entry(0x00010011, "S3_RANGE"),
            Map.entry(0x00010020, "S3_HEAD"),
            Map.entry(0x00010030, "S3_DELETE"),
            Map.entry(0x00010100, "DDBKV_PUT"),
            Map.entry(0x00010101, "DDBKV_ICAS"),
            Map.entry(0x00010102, "DDBKV_CREATE"),
            Map.entry(0x00010110, "DDBKV_GET"),
            Map.entry(0x00010111, "DDBKV_GETC"),
            Map.entry(0x00010120, "DDBKV_DELETE"));

    private RequestTypes() {
    }

    /** The request type of a record: its first 4 bytes big-endian, or {@link #SHORT_RECORD}. */
    public static int of(byte[] record) {
        if (record.length < 4) {
            return SHORT_RECORD;
        }
        return (record[0] & 0xff) << 24 | (record[1] & 0xff) << 16 | (record[2] & 0xff) << 8 | (record[3] & 0xff);
    }

    public static String name(int type) {
        return NAMES.getOrDefault(type, "UNKNOWN");
    }
}
