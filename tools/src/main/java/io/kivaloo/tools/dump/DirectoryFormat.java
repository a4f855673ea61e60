package io.kivaloo.tools.dump;

/**
 * The {@code --fs} dump of the original (mux.md §3-4): the i-th pair in key
 * order (i = 0, 1, ...) is a directory named {@code %016x} of i, mode 0700,
 * holding a file {@code k} with the key's raw bytes and {@code v} with the
 * value's (no length prefix, so each file is 0..255 bytes).
 *
 * <pre>
 *   dir/0000000000000000/k   dir/0000000000000000/v
 *   dir/0000000000000001/k   dir/0000000000000001/v   ...
 * </pre>
 * An undump reads every entry of {@code dir} in directory order, whatever
 * its name, so a tree assembled by hand loads as well.
 */
final class DirectoryFormat {

    static final String KEY_FILE = "k";
    static final String VALUE_FILE = "v";
    /** Permissions of a pair directory, before the umask: the dump may hold secrets. */
    static final String PAIR_DIRECTORY_PERMISSIONS = "rwx------";

    private DirectoryFormat() {
    }

    /** The name of the i-th pair's directory: 16 lowercase hex digits. */
    static String pairDirectoryName(long index) {
        return String.format("%016x", index);
    }
}
