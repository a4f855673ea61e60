package io.kivaloo.tools.dump;

import io.kivaloo.proto.kvlds.Key;

import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;

/**
 * Writes pairs as a {@link DirectoryFormat} tree under a directory that must
 * exist. A pair directory that exists already fails the dump, as in the
 * original: a dump never mixes with an older one.
 */
final class DirectoryPairWriter implements PairSink {

    private final Path base;
    private long index;

    private DirectoryPairWriter(Path base) {
        this.base = base;
    }

    /** Fails unless {@code base} is an existing directory. */
    static DirectoryPairWriter open(Path base) throws IOException {
        if (!Files.isDirectory(base)) {
            throw new IOException("--fs " + base + ": not a directory");
        }
        return new DirectoryPairWriter(base);
    }

    @Override
    public void write(Key key, Key value) throws IOException {
        Path pair = base.resolve(DirectoryFormat.pairDirectoryName(index));
        try {
            Files.createDirectory(pair, PosixFilePermissions.asFileAttribute(
                    PosixFilePermissions.fromString(DirectoryFormat.PAIR_DIRECTORY_PERMISSIONS)));
        } catch (FileAlreadyExistsException e) {
            throw new IOException("mkdir " + pair + ": exists already (dump into an empty directory)", e);
        }
        writeFile(pair.resolve(DirectoryFormat.KEY_FILE), key);
        writeFile(pair.resolve(DirectoryFormat.VALUE_FILE), value);
        index++;
    }

    private static void writeFile(Path file, Key s) throws IOException {
        Files.write(file, s.unsafeBytes(), StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
    }

    @Override
    public void close() {
        // Every pair is written through to its files; nothing is buffered.
    }
}
