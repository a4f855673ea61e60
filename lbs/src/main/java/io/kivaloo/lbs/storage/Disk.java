package io.kivaloo.lbs.storage;

import java.io.IOException;
import java.util.List;

/**
 * The storage directory as the block store sees it: a flat set of named
 * files. Every call that changes what is on disk goes through here, so that
 * tests can substitute a layer that fails or "crashes" at any chosen step
 * ({@code CrashingDisk} in the tests) and then model what a power loss
 * would have kept.
 */
public interface Disk {

    /** Where the files live, for messages. */
    String describe();

    /** Names of the regular files in the directory (symbolic links and other entries excluded). */
    List<String> listRegularFiles() throws IOException;

    /** Opens an existing file for reading and writing. */
    DataFile open(String name) throws IOException;

    /** Creates a new, empty file (mode 0600); fails if the name exists. */
    DataFile create(String name) throws IOException;

    /** Removes a file's directory entry; open handles stay readable. */
    void delete(String name) throws IOException;

    /** Makes creations and deletions in the directory durable (fsync of the directory). */
    void syncDirectory() throws IOException;
}
