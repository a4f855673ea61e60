package io.kivaloo.tests.tools;

import io.kivaloo.proto.client.KvldsClient;
import io.kivaloo.proto.kvlds.Key;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * What the dump tests compare: stores filled from a seed, the dump bytes a
 * model says a store must produce (mux.md §3, written here independently of
 * the tools' code), and {@code --fs} trees read back.
 */
final class DumpFiles {

    private static final long LOAD_DEADLINE_SECONDS = 300;

    private DumpFiles() {
    }

    /**
     * {@code count} pairs from {@code seed}: keys and values of any bytes and
     * every length 0..255 (values up to {@code maxValueLength}), with the
     * extremes: the empty key, a 255-byte key of 0xff, empty values.
     */
    static NavigableMap<Key, Key> randomPairs(long seed, int count, int maxValueLength) {
        NavigableMap<Key, Key> pairs = new TreeMap<>();
        byte[] top = new byte[Key.MAX_LENGTH];
        Arrays.fill(top, (byte) 0xff);
        pairs.put(Key.EMPTY, Key.of("the empty key"));
        pairs.put(Key.wrap(top), Key.EMPTY);
        fill(pairs, new Random(seed), count, 0, maxValueLength);
        return pairs;
    }

    /**
     * As {@link #randomPairs} without empty keys or values: the C tools fail
     * on those (their undump hangs on an empty key and waits or fails on an
     * empty value, their dump exits 1 after writing an empty value), so pairs
     * that both sides must handle leave them out.
     */
    static NavigableMap<Key, Key> randomPairsTheCToolsHandle(long seed, int count) {
        NavigableMap<Key, Key> pairs = new TreeMap<>();
        fill(pairs, new Random(seed), count, 1, Key.MAX_LENGTH);
        return pairs;
    }

    private static void fill(NavigableMap<Key, Key> pairs, Random random, int count, int minValueLength,
                             int maxValueLength) {
        while (pairs.size() < count) {
            pairs.put(bytes(random, 1 + random.nextInt(Key.MAX_LENGTH)),
                    bytes(random, minValueLength + random.nextInt(maxValueLength - minValueLength + 1)));
        }
    }

    private static Key bytes(Random random, int length) {
        byte[] b = new byte[length];
        random.nextBytes(b);
        return Key.wrap(b);
    }

    /** SETs every pair, pipelined, and waits for all of them. */
    static void load(KvldsClient client, Map<Key, Key> pairs) throws Exception {
        List<CompletableFuture<Void>> sets = new ArrayList<>();
        for (Map.Entry<Key, Key> pair : pairs.entrySet()) {
            sets.add(client.set(pair.getKey(), pair.getValue()));
        }
        CompletableFuture.allOf(sets.toArray(new CompletableFuture[0])).get(LOAD_DEADLINE_SECONDS, TimeUnit.SECONDS);
    }

    /** The stream dump of {@code pairs}: [klen][key][vlen][value] in key order. */
    static byte[] expectedStream(NavigableMap<Key, Key> pairs) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (Map.Entry<Key, Key> pair : pairs.entrySet()) {
            out.write(pair.getKey().length());
            out.writeBytes(pair.getKey().toByteArray());
            out.write(pair.getValue().length());
            out.writeBytes(pair.getValue().toByteArray());
        }
        return out.toByteArray();
    }

    /** An {@code --fs} tree as pair directory name -> key and value bytes, sorted by name. */
    static NavigableMap<String, List<Key>> readTree(Path dir) throws IOException {
        NavigableMap<String, List<Key>> tree = new TreeMap<>();
        try (Stream<Path> entries = Files.list(dir)) {
            for (Path entry : (Iterable<Path>) entries::iterator) {
                tree.put(entry.getFileName().toString(), List.of(Key.wrap(Files.readAllBytes(entry.resolve("k"))),
                        Key.wrap(Files.readAllBytes(entry.resolve("v")))));
            }
        }
        return tree;
    }

    /** The tree a dump of {@code pairs} must be: the i-th pair in key order under %016x of i. */
    static NavigableMap<String, List<Key>> expectedTree(NavigableMap<Key, Key> pairs) {
        NavigableMap<String, List<Key>> tree = new TreeMap<>();
        long i = 0;
        for (Map.Entry<Key, Key> pair : pairs.entrySet()) {
            tree.put(String.format("%016x", i++), List.of(pair.getKey(), pair.getValue()));
        }
        return tree;
    }
}
