package io.kivaloo.kvlds.btree;

import io.kivaloo.kvlds.page.LeafPage;
import io.kivaloo.kvlds.page.Page;
import io.kivaloo.kvlds.page.ParentPage;
import io.kivaloo.proto.kvlds.Key;
import io.kivaloo.proto.kvlds.KvldsRequest;
import io.kivaloo.proto.kvlds.KvldsResponse;
import java.util.List;

/**
 * A batch's apply phase (the C kvlds's btree_mutate): runs the requests one by
 * one in arrival order on the pinned tree. A request that cannot change its
 * clean leaf (a failing CAS, a DELETE of an absent key) is answered from it
 * and dirties nothing; one that can dirties the leaf and its ancestors
 * (copy-on-write) and is applied to the dirty copy, so later requests see its
 * effect. Then the leaves the cleaner picked are dirtied unchanged, so that the
 * batch rewrites them at the head of the log (kvlds.md §10).
 */
final class BatchApply {

    private final DirtyTree dirty;
    /**
     * Range and leaf of the last key: the next request reuses them when its
     * key is in the range too. Until rebalancing no node splits or merges, so
     * the range holds.
     */
    private KeyRange lastRange;
    private BatchLeaf lastLeaf;

    private BatchApply(DirtyTree dirty) {
        this.dirty = dirty;
    }

    /** Applies {@code requests} and dirties the leaves of {@code cleaning}; returns one status per request. */
    static int[] apply(DirtyTree dirty, List<KvldsRequest.Modifying> requests, List<Key> cleaning) {
        BatchApply apply = new BatchApply(dirty);
        int[] statuses = new int[requests.size()];
        for (int i = 0; i < statuses.length; i++) {
            statuses[i] = apply.applyOne(requests.get(i));
        }
        for (Key k : cleaning) {
            dirty.dirtyPath(k).cleaned = true;
        }
        return statuses;
    }

    private int applyOne(KvldsRequest.Modifying request) {
        Key key = request.key();
        BatchLeaf leaf = lastRange != null && lastRange.contains(key) ? lastLeaf : leafOf(key);
        if (leaf instanceof BatchLeaf.Dirty d) {
            return mutate(d.leaf(), request);
        }
        LeafPage clean = ((BatchLeaf.Clean) leaf).page();
        int unchanged = unchangedStatus(request, clean, clean.find(key));
        if (unchanged >= 0) {
            return unchanged;
        }
        DirtyLeaf copy = dirty.dirtyPath(key);
        lastLeaf = new BatchLeaf.Dirty(copy);
        return mutate(copy, request);
    }

    /**
     * The leaf holding {@code key} in the batch's tree (dirty where dirtied,
     * else the pinned clean page), remembered with its range for the next
     * request. Dirty nodes are only ever above clean ones, so the walk goes
     * through dirty parents first and clean pages below.
     */
    private BatchLeaf leafOf(Key key) {
        Key low = null;
        Key high = null;
        Page clean = dirty.root == null ? dirty.base.root() : null;
        DirtyNode node = dirty.root;
        while (clean == null && node instanceof DirtyParent p) {
            int i = p.childIndex(key);
            low = DirtyTree.lowOf(p, i, low);
            high = DirtyTree.highOf(p, i, high);
            Slot slot = p.children.get(i);
            if (slot.isDirty()) {
                node = slot.dirty;
            } else {
                clean = dirty.pinned(slot.block);
            }
        }
        BatchLeaf found;
        if (clean == null) {
            found = new BatchLeaf.Dirty((DirtyLeaf) node);
        } else {
            while (!clean.isLeaf()) {
                ParentPage p = (ParentPage) clean;
                int i = p.childIndex(key);
                low = i > 0 ? p.key(i - 1) : low;
                high = i < p.keyCount() ? p.key(i) : high;
                clean = dirty.pinned(p.childBlock(i));
            }
            found = new BatchLeaf.Clean((LeafPage) clean);
        }
        lastRange = new KeyRange(low, high);
        lastLeaf = found;
        return found;
    }

    /** The status of a request that would not change this clean leaf, or -1 if it would. */
    private static int unchangedStatus(KvldsRequest.Modifying request, LeafPage leaf, int index) {
        boolean present = index >= 0;
        switch (request.type()) {
            case KvldsRequest.SET:
                return -1;
            case KvldsRequest.ADD:
                return present ? KvldsResponse.STATUS_FAIL : -1;
            case KvldsRequest.MODIFY:
                return present ? -1 : KvldsResponse.STATUS_FAIL;
            case KvldsRequest.DELETE:
                return present ? -1 : KvldsResponse.STATUS_OK;
            case KvldsRequest.CAS:
                return present && leaf.valueEquals(index, ((KvldsRequest.Cas) request).oldValue()) ? -1 : KvldsResponse.STATUS_FAIL;
            case KvldsRequest.CAD:
                return present && leaf.valueEquals(index, ((KvldsRequest.Cad) request).oldValue()) ? -1 : KvldsResponse.STATUS_FAIL;
            default:
                throw new IllegalArgumentException("not a modifying request: " + request);
        }
    }

    /** Applies one request to a dirty leaf; returns its status. */
    private static int mutate(DirtyLeaf leaf, KvldsRequest.Modifying request) {
        Key key = request.key();
        switch (request.type()) {
            case KvldsRequest.SET:
                leaf.put(key, ((KvldsRequest.Set) request).value());
                return KvldsResponse.STATUS_OK;
            case KvldsRequest.ADD:
                if (leaf.get(key) != null) {
                    return KvldsResponse.STATUS_FAIL;
                }
                leaf.put(key, ((KvldsRequest.Add) request).value());
                return KvldsResponse.STATUS_OK;
            case KvldsRequest.MODIFY:
                if (leaf.get(key) == null) {
                    return KvldsResponse.STATUS_FAIL;
                }
                leaf.put(key, ((KvldsRequest.Modify) request).value());
                return KvldsResponse.STATUS_OK;
            case KvldsRequest.DELETE:
                leaf.delete(key);
                return KvldsResponse.STATUS_OK;
            case KvldsRequest.CAS: {
                KvldsRequest.Cas cas = (KvldsRequest.Cas) request;
                if (!cas.oldValue().equals(leaf.get(key))) {
                    return KvldsResponse.STATUS_FAIL;
                }
                leaf.put(key, cas.value());
                return KvldsResponse.STATUS_OK;
            }
            case KvldsRequest.CAD:
                if (!((KvldsRequest.Cad) request).oldValue().equals(leaf.get(key))) {
                    return KvldsResponse.STATUS_FAIL;
                }
                leaf.delete(key);
                return KvldsResponse.STATUS_OK;
            default:
                throw new IllegalArgumentException("not a modifying request: " + request);
        }
    }
}
