package io.kivaloo.lbss3.s3;

/** A conditional PUT found the key taken (HTTP 412): somebody wrote it first. */
public final class ObjectExistsException extends ObjectStoreException {

    private static final long serialVersionUID = 1L;

    public ObjectExistsException(String key) {
        super("object exists already key=" + key);
    }
}
