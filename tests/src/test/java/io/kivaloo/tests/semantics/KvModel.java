package io.kivaloo.tests.semantics;

import io.kivaloo.proto.kvlds.Key;
import io.kivaloo.proto.kvlds.KvldsRequest;
import io.kivaloo.proto.kvlds.KvldsResponse;

import java.util.NavigableMap;
import java.util.TreeMap;

/**
 * The reference kvlds: a sorted map in {@link Key}'s unsigned order, with the
 * per-operation semantics of kvlds.md §2.1. {@link #apply} returns the
 * response kvlds must give to a request applied to the current state, and
 * changes the state as kvlds would.
 */
final class KvModel {

    private final NavigableMap<Key, Key> map = new TreeMap<>();

    /** The expected response of a modifying request or GET, applied now. */
    KvldsResponse apply(KvldsRequest request) {
        switch (request.type()) {
            case KvldsRequest.SET: {
                KvldsRequest.Set set = (KvldsRequest.Set) request;
                map.put(set.key(), set.value());
                return KvldsResponse.Status.OK;
            }
            case KvldsRequest.CAS: {
                KvldsRequest.Cas cas = (KvldsRequest.Cas) request;
                boolean ok = cas.oldValue().equals(map.get(cas.key()));
                if (ok) {
                    map.put(cas.key(), cas.value());
                }
                return KvldsResponse.Status.of(ok);
            }
            case KvldsRequest.ADD: {
                KvldsRequest.Add add = (KvldsRequest.Add) request;
                return KvldsResponse.Status.of(map.putIfAbsent(add.key(), add.value()) == null);
            }
            case KvldsRequest.MODIFY: {
                KvldsRequest.Modify modify = (KvldsRequest.Modify) request;
                return KvldsResponse.Status.of(map.replace(modify.key(), modify.value()) != null);
            }
            case KvldsRequest.DELETE:
                map.remove(((KvldsRequest.Delete) request).key());
                return KvldsResponse.Status.OK;
            case KvldsRequest.CAD: {
                KvldsRequest.Cad cad = (KvldsRequest.Cad) request;
                return KvldsResponse.Status.of(map.remove(cad.key(), cad.oldValue()));
            }
            case KvldsRequest.GET: {
                Key value = map.get(((KvldsRequest.Get) request).key());
                return value == null ? KvldsResponse.Get.ABSENT : new KvldsResponse.Get(value);
            }
            default:
                throw new IllegalArgumentException("the model answers modifying requests and GET, not " + request);
        }
    }

    /** The value of {@code key}, or null. */
    Key get(Key key) {
        return map.get(key);
    }

    /** The pairs with start <= key < end; an empty end means no upper bound (kvlds.md §1). */
    NavigableMap<Key, Key> range(Key start, Key end) {
        return end.isEmpty() ? map.tailMap(start, true) : map.subMap(start, true, end, false);
    }

    /** Everything, for merging per-client models. */
    NavigableMap<Key, Key> all() {
        return map;
    }
}
