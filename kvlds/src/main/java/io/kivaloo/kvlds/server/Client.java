package io.kivaloo.kvlds.server;

import io.kivaloo.proto.kvlds.KvldsResponse;

/** Where the answer to a request goes: the connection it came from (which may be dying by then). */
interface Client {

    /** Answers request {@code id}; called exactly once per request the dispatcher accepted and did not discard. */
    void respond(long id, KvldsResponse response);
}
