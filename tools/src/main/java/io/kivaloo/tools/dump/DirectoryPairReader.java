package io.kivaloo.tools.dump;

import io.kivaloo.proto.kvlds.Key;
import io.kivaloo.proto.kvlds.KvldsResponse;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Iterator;

/**
 * Reads a {@link DirectoryFormat} tree entry by entry in directory order
 * (readdir, not sorted, as the original), holding one pair at a time. Every
 * entry must be a directory with regular files {@code k} and {@code v} of at
 * most 255 bytes; anything else fails the undump with the entry's path.
 */
final class DirectoryPairReader implements PairSource {

    private final DirectoryStream<Path> entries;
    private final Iterator<Path> iterator;

    private DirectoryPairReader(DirectoryStream<Path> entries) {
        this.entries = entries;
        this.iterator = entries.iterator();
    }

    static DirectoryPairReader open(Path base) throws IOException {
        if (!Files.isDirectory(base)) {
            throw new IOException("--fs " + base + ": not a directory");
        }
        return new DirectoryPairReader(Files.newDirectoryStream(base));
    }

    @Override
    public KvldsResponse.Pair next() throws IOException {
        if (!iterator.hasNext()) {
            return null;
        }
        Path pair = iterator.next();
        if (!Files.isDirectory(pair)) {
            throw new DumpFormatException(pair + ": not a directory (expected: a pair directory with files k and v)");
        }
        return new KvldsResponse.Pair(readFile(pair.resolve(DirectoryFormat.KEY_FILE)),
                readFile(pair.resolve(DirectoryFormat.VALUE_FILE)));
    }

    private static Key readFile(Path file) throws IOException {
        if (!Files.isRegularFile(file)) {
            throw new DumpFormatException(file + ": not a regular file");
        }
        long size = Files.size(file);
        if (size > Key.MAX_LENGTH) {
            throw new DumpFormatException(file + ": " + size + " bytes (expected: <= " + Key.MAX_LENGTH + ")");
        }
        byte[] bytes = Files.readAllBytes(file);
        if (bytes.length > Key.MAX_LENGTH) {
            throw new DumpFormatException(file + ": grew to " + bytes.length + " bytes while read (expected: <= "
                    + Key.MAX_LENGTH + ")");
        }
        return Key.wrap(bytes);
    }

    @Override
    public void close() throws IOException {
        entries.close();
    }
}
