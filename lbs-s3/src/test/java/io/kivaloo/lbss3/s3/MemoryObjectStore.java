package io.kivaloo.lbss3.s3;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * An object store in memory with S3's semantics for what lbs-s3 uses:
 * conditional create (a taken key fails, as If-None-Match: * does), ranged
 * reads cut at the end, sorted listing, idempotent delete. It counts how
 * often each key was written, so tests can assert that no key is ever
 * written twice.
 */
public final class MemoryObjectStore implements ObjectStore {

    private final ConcurrentSkipListMap<String, byte[]> objects = new ConcurrentSkipListMap<>();
    private final Map<String, AtomicInteger> writes = new ConcurrentHashMap<>();

    @Override
    public void create(String key, byte[] data) throws ObjectExistsException {
        byte[] copy = data.clone();
        if (objects.putIfAbsent(key, copy) != null) {
            // The same bytes again is our own retry landing twice, as S3ObjectStore treats it.
            if (Arrays.equals(objects.get(key), data)) {
                return;
            }
            throw new ObjectExistsException(key);
        }
        writes.computeIfAbsent(key, k -> new AtomicInteger()).incrementAndGet();
    }

    @Override
    public byte[] get(String key) {
        byte[] data = objects.get(key);
        return data == null ? null : data.clone();
    }

    @Override
    public byte[] getRange(String key, long offset, int length) {
        byte[] data = objects.get(key);
        if (data == null) {
            return null;
        }
        int from = (int) Math.min(offset, data.length);
        return Arrays.copyOfRange(data, from, (int) Math.min((long) from + length, data.length));
    }

    @Override
    public boolean exists(String key) {
        return objects.containsKey(key);
    }

    @Override
    public List<ObjectInfo> list(String prefix) {
        List<ObjectInfo> out = new ArrayList<>();
        for (Map.Entry<String, byte[]> e : objects.tailMap(prefix).entrySet()) {
            if (!e.getKey().startsWith(prefix)) {
                break;
            }
            out.add(new ObjectInfo(e.getKey(), e.getValue().length));
        }
        return out;
    }

    @Override
    public void delete(String key) {
        objects.remove(key);
    }

    /** Keys written more than once (never deleted and re-created, never overwritten): must stay empty. */
    public List<String> keysWrittenTwice() {
        List<String> twice = new ArrayList<>();
        writes.forEach((key, count) -> {
            if (count.get() > 1) {
                twice.add(key);
            }
        });
        return twice;
    }

    /** The stored bytes of {@code key}, for assertions; null if absent. */
    public byte[] peek(String key) {
        return get(key);
    }

    public List<String> keys() {
        return new ArrayList<>(objects.keySet());
    }

    @Override
    public String describe() {
        return "bucket=memory endpoint=none";
    }

    @Override
    public void close() {
    }
}
