package io.kivaloo.lbss3.store;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The small text objects of the layout (params, generation claim and start):
 * a first line naming the kind, then {@code name=value} lines, UTF-8, so an
 * operator can read them with any S3 tool.
 *
 * <pre>
 *   kivaloo-lbs-s3 params
 *   version=1
 *   store-id=5f0c...
 *   block-size=4096
 * </pre>
 */
final class StoreRecord {

    private static final String MAGIC = "kivaloo-lbs-s3 ";

    private final String kind;
    private final Map<String, String> fields;

    private StoreRecord(String kind, Map<String, String> fields) {
        this.kind = kind;
        this.fields = fields;
    }

    /** A record of {@code kind} with the fields given as name, value, name, value, ... in that order. */
    static StoreRecord of(String kind, String... namesAndValues) {
        if (namesAndValues.length % 2 != 0) {
            throw new IllegalArgumentException("names and values do not pair up: " + namesAndValues.length);
        }
        Map<String, String> fields = new LinkedHashMap<>();
        for (int i = 0; i < namesAndValues.length; i += 2) {
            fields.put(namesAndValues[i], namesAndValues[i + 1]);
        }
        return new StoreRecord(kind, fields);
    }

    byte[] encode() {
        StringBuilder out = new StringBuilder(MAGIC).append(kind).append('\n');
        fields.forEach((name, value) -> out.append(name).append('=').append(value).append('\n'));
        return out.toString().getBytes(StandardCharsets.UTF_8);
    }

    /** Parses {@code bytes} read from {@code key} as a record of {@code kind}. */
    static StoreRecord decode(String key, String kind, byte[] bytes) throws CorruptStoreException {
        String[] lines = new String(bytes, StandardCharsets.UTF_8).split("\n");
        if (lines.length == 0 || !lines[0].equals(MAGIC + kind)) {
            throw new CorruptStoreException("object " + key + " is not an lbs-s3 " + kind + " record (first line: '"
                    + (lines.length == 0 ? "" : lines[0]) + "')");
        }
        Map<String, String> fields = new LinkedHashMap<>();
        for (int i = 1; i < lines.length; i++) {
            int eq = lines[i].indexOf('=');
            if (eq <= 0) {
                throw new CorruptStoreException("object " + key + " line " + (i + 1) + " is not name=value: '" + lines[i] + "'");
            }
            fields.put(lines[i].substring(0, eq), lines[i].substring(eq + 1));
        }
        return new StoreRecord(kind, fields);
    }

    String text(String key, String name) throws CorruptStoreException {
        String value = fields.get(name);
        if (value == null) {
            throw new CorruptStoreException("object " + key + " has no field " + name);
        }
        return value;
    }

    /** The number in field {@code name}, or null if the record has none (written before the field existed). */
    Long optionalNumber(String key, String name) throws CorruptStoreException {
        return fields.containsKey(name) ? number(key, name) : null;
    }

    long number(String key, String name) throws CorruptStoreException {
        String value = text(key, name);
        try {
            return Long.parseUnsignedLong(value);
        } catch (NumberFormatException e) {
            throw new CorruptStoreException("object " + key + " field " + name + " is not a number: '" + value + "'");
        }
    }
}
