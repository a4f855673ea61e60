package io.kivaloo.lbs.storage;

/** A stored block failed its check (CRC, block number or length): the store must not return it. */
public final class CorruptBlockException extends StorageException {

    private static final long serialVersionUID = 1L;

    public CorruptBlockException(String file, long block, long offset, String problem) {
        super("corrupt block file=" + file + " block=" + Long.toUnsignedString(block) + " offset=" + offset
                + " problem=" + problem);
    }
}
