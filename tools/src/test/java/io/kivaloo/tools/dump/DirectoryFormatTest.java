package io.kivaloo.tools.dump;

import io.kivaloo.proto.kvlds.Key;
import io.kivaloo.proto.kvlds.KvldsResponse;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The {@code --fs} dump of mux.md §3-4: names, modes and raw file contents, and what an undump refuses. */
class DirectoryFormatTest {

    @TempDir
    Path dir;

    @Test
    void theIthPairIsADirectoryOf16HexDigitsWithRawFilesKAndV() throws IOException {
        List<KvldsResponse.Pair> pairs = new ArrayList<>();
        for (int i = 0; i < 18; i++) {
            pairs.add(pair(new byte[] {(byte) i, (byte) 0xff}, i % 2 == 0 ? new byte[0] : new byte[] {'v'}));
        }
        write(pairs);

        Path first = dir.resolve("0000000000000000");
        Path eighteenth = dir.resolve("0000000000000011");
        assertThat(first).isDirectory();
        assertThat(eighteenth).isDirectory();
        assertThat(dir.resolve("0000000000000012")).doesNotExist();
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(first))).isEqualTo("rwx------");
        assertThat(Files.readAllBytes(first.resolve("k"))).containsExactly(0x00, 0xff);
        assertThat(Files.readAllBytes(first.resolve("v"))).isEmpty();
        assertThat(Files.readAllBytes(eighteenth.resolve("k"))).containsExactly(0x11, 0xff);
        assertThat(Files.readAllBytes(eighteenth.resolve("v"))).containsExactly('v');
        try (var entries = Files.list(first)) {
            assertThat(entries.map(p -> p.getFileName().toString())).containsExactlyInAnyOrder("k", "v");
        }
    }

    @Test
    void anUndumpReadsEveryPairBackInWhateverOrderTheDirectoryLists() throws IOException {
        List<KvldsResponse.Pair> pairs = new ArrayList<>();
        for (int i = 0; i < 50; i++) {
            pairs.add(pair(("key" + i).getBytes(), ("value" + i).getBytes()));
        }
        write(pairs);
        assertThat(read()).containsExactlyInAnyOrderElementsOf(pairs);
    }

    @Test
    void aDumpNeverMixesWithAnOlderOne() throws IOException {
        Files.createDirectory(dir.resolve("0000000000000000"));
        assertThatThrownBy(() -> write(List.of(pair(new byte[] {'k'}, new byte[] {'v'}))))
                .isInstanceOf(IOException.class).hasMessageContaining("exists already");
    }

    @Test
    void theDirectoryMustExist() {
        assertThatThrownBy(() -> DirectoryPairWriter.open(dir.resolve("missing")))
                .isInstanceOf(IOException.class).hasMessageContaining("not a directory");
        assertThatThrownBy(() -> DirectoryPairReader.open(dir.resolve("missing")))
                .isInstanceOf(IOException.class).hasMessageContaining("not a directory");
    }

    @Test
    void anEntryThatIsNotAPairDirectoryFailsTheUndump() throws IOException {
        Files.writeString(dir.resolve("stray"), "x");
        assertThatThrownBy(this::read).isInstanceOf(DumpFormatException.class)
                .hasMessageContaining("stray").hasMessageContaining("not a directory");
    }

    @Test
    void aPairWithoutAValueFileFailsTheUndump() throws IOException {
        Path pair = Files.createDirectory(dir.resolve("0000000000000000"));
        Files.write(pair.resolve("k"), new byte[] {'k'});
        assertThatThrownBy(this::read).isInstanceOf(DumpFormatException.class)
                .hasMessageContaining(pair.resolve("v").toString()).hasMessageContaining("not a regular file");
    }

    @Test
    void aFileOver255BytesFailsTheUndump() throws IOException {
        Path pair = Files.createDirectory(dir.resolve("0000000000000000"));
        Files.write(pair.resolve("k"), new byte[256]);
        Files.write(pair.resolve("v"), new byte[1]);
        assertThatThrownBy(this::read).isInstanceOf(DumpFormatException.class)
                .hasMessageContaining("256 bytes (expected: <= 255)");
    }

    private void write(List<KvldsResponse.Pair> pairs) throws IOException {
        try (DirectoryPairWriter writer = DirectoryPairWriter.open(dir)) {
            for (KvldsResponse.Pair pair : pairs) {
                writer.write(pair.key(), pair.value());
            }
        }
    }

    private List<KvldsResponse.Pair> read() throws IOException {
        List<KvldsResponse.Pair> pairs = new ArrayList<>();
        try (DirectoryPairReader reader = DirectoryPairReader.open(dir)) {
            for (KvldsResponse.Pair pair = reader.next(); pair != null; pair = reader.next()) {
                pairs.add(pair);
            }
        }
        return pairs;
    }

    private static KvldsResponse.Pair pair(byte[] key, byte[] value) {
        return new KvldsResponse.Pair(Key.of(key), Key.of(value));
    }
}
