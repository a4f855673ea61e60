package io.kivaloo.bench.perf;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Objects;

/**
 * perf's statistics log (lib/logging/logging.c; mux.md §2.2): opened for
 * appending (created with mode 0644, less the umask), a regular file only; a
 * non-empty file not ending in {@code \n} gets one first. Each line is
 * {@code YYYY-MM-DD hh:mm:ss} (UTC, at the moment of writing) + body + {@code \n},
 * written in one call. {@link #checkRotation()}, run once a second, re-opens
 * the path when it no longer names the open file (same device and inode, via
 * the file key), so that log rotation works.
 */
public final class StatisticsLog implements AutoCloseable {

    private static final DateTimeFormatter TIMESTAMP = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss").withZone(ZoneOffset.UTC);

    private final Path path;
    private final Clock clock;
    private FileChannel channel;
    private Object fileKey;

    private StatisticsLog(Path path, Clock clock) {
        this.path = path;
        this.clock = clock;
    }

    public static StatisticsLog open(Path path, Clock clock) throws IOException {
        StatisticsLog log = new StatisticsLog(path, clock);
        log.doOpen();
        return log;
    }

    private void doOpen() throws IOException {
        FileChannel opened;
        try {
            opened = FileChannel.open(path, java.util.Set.of(StandardOpenOption.CREATE, StandardOpenOption.APPEND,
                    StandardOpenOption.WRITE), PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-r--r--")));
        } catch (UnsupportedOperationException e) {
            opened = FileChannel.open(path, StandardOpenOption.CREATE, StandardOpenOption.APPEND, StandardOpenOption.WRITE);
        }
        try {
            BasicFileAttributes attributes = Files.readAttributes(path, BasicFileAttributes.class);
            if (!attributes.isRegularFile()) {
                throw new IOException("log file is not a regular file: " + path);
            }
            long size = opened.size();
            if (size > 0 && lastByte(size) != '\n') {
                opened.write(ByteBuffer.wrap(new byte[] {'\n'}));
            }
            fileKey = attributes.fileKey();
        } catch (IOException e) {
            opened.close();
            throw e;
        }
        channel = opened;
    }

    /** Java cannot open a channel for both reading and appending: read the last byte through a second one. */
    private byte lastByte(long size) throws IOException {
        try (FileChannel reader = FileChannel.open(path, StandardOpenOption.READ)) {
            ByteBuffer last = ByteBuffer.allocate(1);
            reader.read(last, size - 1);
            return last.get(0);
        }
    }

    /** Appends {@code timestamp + body + "\n"}. */
    public void write(String body) throws IOException {
        String line = TIMESTAMP.format(clock.instant()) + body + "\n";
        ByteBuffer bytes = ByteBuffer.wrap(line.getBytes(StandardCharsets.UTF_8));
        while (bytes.hasRemaining()) {
            channel.write(bytes);
        }
    }

    /** Re-opens the path if it was moved or removed (log rotation). */
    public void checkRotation() throws IOException {
        Object current;
        try {
            BasicFileAttributes attributes = Files.readAttributes(path, BasicFileAttributes.class);
            current = attributes.isRegularFile() ? attributes.fileKey() : null;
        } catch (NoSuchFileException e) {
            current = null;
        }
        if (current != null && fileKey != null && Objects.equals(current, fileKey)) {
            return;
        }
        channel.close();
        doOpen();
    }

    @Override
    public void close() throws IOException {
        channel.close();
    }
}
