package io.kivaloo.tools.dump;

import io.kivaloo.proto.kvlds.KvldsResponse;

import java.io.IOException;

/** Where kvlds-undump reads the pairs it stores: a stream or a directory tree. */
interface PairSource extends AutoCloseable {

    /** The next pair, or null at the clean end of the input. */
    KvldsResponse.Pair next() throws IOException;

    @Override
    void close() throws IOException;
}
