package io.kivaloo.lbs.storage;

import java.io.IOException;

/**
 * The storage directory holds something this lbs will not serve: damaged
 * acknowledged data, a gap between files, another block size. The message
 * names the file and, where it applies, block and byte offset.
 */
public class StorageException extends IOException {

    private static final long serialVersionUID = 1L;

    public StorageException(String message) {
        super(message);
    }
}
