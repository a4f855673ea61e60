package io.kivaloo.tools.dump;

import io.kivaloo.proto.kvlds.Key;

import java.io.IOException;

/** Where kvlds-dump writes the pairs it reads, in key order: a stream or a directory tree. */
interface PairSink extends AutoCloseable {

    void write(Key key, Key value) throws IOException;

    /** Flushes what is buffered; a failure here is a failed dump. */
    @Override
    void close() throws IOException;
}
