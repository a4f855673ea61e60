package io.kivaloo.kvlds.btree;

import io.kivaloo.kvlds.page.CorruptPageException;
import io.kivaloo.kvlds.page.LeafPage;
import io.kivaloo.kvlds.page.PageFormat;
import io.kivaloo.kvlds.page.PageValidator;
import io.kivaloo.kvlds.page.PageWriter;
import io.kivaloo.proto.kvlds.Key;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A dirty leaf against a {@link TreeMap}: from a clean page (root or not),
 * any sequence of puts and deletes, with a split or a merge at any point
 * (which turns the leaf into lists), reads back as the model, counts its
 * size as its serialization takes, and serializes to the page the model's
 * pairs make, byte for byte.
 */
class DirtyLeafTest {

    private static final int BLOCK = 4096;

    /** Keys from a small space so that edits hit the page's keys, each other and the gaps. */
    private static Arbitrary<Key> keys() {
        return Arbitraries.integers().between(0, 60).map(i -> Key.of(String.format("k%03d", i * 7 % 61)));
    }

    private static Arbitrary<Key> values() {
        return Arbitraries.strings().alpha().ofMaxLength(12).map(Key::of);
    }

    @Provide
    Arbitrary<TreeMap<Key, Key>> pages() {
        return Arbitraries.maps(keys(), values()).ofMaxSize(25).map(TreeMap::new);
    }

    /** An operation: 0 put, 1 delete, 2 split and carry on with the parts merged again; key and value. */
    @Provide
    Arbitrary<List<Object[]>> operations() {
        return Arbitraries.integers().between(0, 20).flatMap(kind -> keys().flatMap(k -> values().map(v ->
                new Object[] {kind < 12 ? 0 : kind < 20 ? 1 : 2, k, v}))).list().ofMaxSize(40);
    }

    @Property(tries = 500)
    void agreesWithTheModel(@ForAll("pages") TreeMap<Key, Key> start, @ForAll boolean root,
                            @ForAll("operations") List<Object[]> operations) throws CorruptPageException {
        DirtyLeaf leaf = DirtyLeaf.copyOf(page(start, root));
        TreeMap<Key, Key> model = new TreeMap<>(start);
        for (Object[] op : operations) {
            Key key = (Key) op[1];
            switch ((int) op[0]) {
                case 0 -> {
                    leaf.put(key, (Key) op[2]);
                    model.put(key, (Key) op[2]);
                }
                case 1 -> {
                    leaf.delete(key);
                    model.remove(key);
                }
                default -> {
                    List<Key> separators = new ArrayList<>();
                    List<DirtyLeaf> parts = leaf.split(PageFormat.HEADER + 40, BLOCK, separators);
                    leaf = new DirtyLeaf(new ArrayList<>(), new ArrayList<>());
                    for (DirtyLeaf part : parts) {
                        leaf.append(part);
                    }
                }
            }
            assertThat(leaf.get(key)).isEqualTo(model.get(key));
        }
        for (Key k : model.keySet()) {
            assertThat(leaf.get(k)).isEqualTo(model.get(k));
        }
        byte[] written = new byte[BLOCK];
        int size = leaf.write(written, 0, root ? 3 : 0);
        byte[] expected = serialize(model, root);
        assertThat(written).isEqualTo(expected);
        assertThat(size).isEqualTo(leaf.size() + (root ? PageFormat.ROOT_EXTRA : 0));
    }

    private static LeafPage page(TreeMap<Key, Key> pairs, boolean root) throws CorruptPageException {
        return (LeafPage) new PageValidator(BLOCK).parse(9, serialize(pairs, root), 10);
    }

    private static byte[] serialize(Map<Key, Key> pairs, boolean root) {
        byte[] page = new byte[BLOCK];
        PageWriter.writeLeaf(page, 0, new ArrayList<>(pairs.keySet()), new ArrayList<>(pairs.values()), 0, root ? 3 : 0);
        return page;
    }
}
