package io.kivaloo.bench.data;

import org.junit.jupiter.api.Test;

import java.security.MessageDigest;
import java.util.HexFormat;

import static org.assertj.core.api.Assertions.assertThat;

/** mkpairs output against the reproduction vectors of tests-and-bench.md §8.1 (sha256 of the C output). */
class PairGroupsTest {

    @Test
    void threePairsMatchTheCOutput() throws Exception {
        assertThat(sha256OfMkpairs(3)).isEqualTo("dca0687acb4996168313e062d4712557b4864118c0fcbbdb0688cc553e6dcf92");
    }

    @Test
    void oneGroupPlusOnePairMatchesTheCOutput() throws Exception {
        assertThat(sha256OfMkpairs(65537)).isEqualTo("3b7bf471e70d051cb62dfcf34e98fe11ef7ee63814f3b300417a9dd3956bcdad");
    }

    @Test
    void threePairsAreInOrderY0Y2Y1WithTheDocumentedFirstKey() {
        byte[] group = new PairGroups(3).nextGroup();
        assertThat(group).hasSize(3 * PairMaker.RECORD_LENGTH);
        assertThat(HexFormat.of().formatHex(group, 0, 40))
                .isEqualTo("0000000000000000" + "0a88111852095cae045340ea1f0b279944b2a756a213d9b50107d7489771e159");
        // The value's first 8 bytes are be64(X·65536 + Y): Y = 0, 2, 1.
        assertThat(group[40 + 7]).isEqualTo((byte) 0);
        assertThat(group[80 + 40 + 7]).isEqualTo((byte) 2);
        assertThat(group[160 + 40 + 7]).isEqualTo((byte) 1);
    }

    @Test
    void valueHashEqualsKeyHashBecauseTheCCodeHashesWithZeroPrefix() {
        PairMaker maker = new PairMaker();
        byte[] key = new byte[40];
        byte[] value = new byte[40];
        maker.key(5, 77, key, 0);
        maker.value(5, 77, value, 0);
        assertThat(java.util.Arrays.copyOfRange(value, 8, 40)).isEqualTo(java.util.Arrays.copyOfRange(key, 8, 40));
    }

    @Test
    void generatedInputYieldsTheSameRecordsAndRewinds() {
        GeneratedPairInput input = new GeneratedPairInput(3);
        byte[] expected = new PairGroups(3).nextGroup();
        byte[] record = new byte[80];
        for (int pass = 0; pass < 2; pass++) {
            for (int i = 0; i < 3; i++) {
                assertThat(input.read(record)).isTrue();
                assertThat(record).isEqualTo(java.util.Arrays.copyOfRange(expected, i * 80, i * 80 + 80));
            }
            assertThat(input.read(record)).isFalse();
            input.rewind();
        }
    }

    private static String sha256OfMkpairs(long n) throws Exception {
        MessageDigest sha = MessageDigest.getInstance("SHA-256");
        PairGroups groups = new PairGroups(n);
        long bytes = 0;
        for (byte[] group = groups.nextGroup(); group != null; group = groups.nextGroup()) {
            sha.update(group);
            bytes += group.length;
        }
        assertThat(bytes).isEqualTo(80 * n);
        return HexFormat.of().formatHex(sha.digest());
    }
}
