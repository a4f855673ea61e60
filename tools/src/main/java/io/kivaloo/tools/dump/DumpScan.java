package io.kivaloo.tools.dump;

import io.kivaloo.proto.client.KvldsClient;
import io.kivaloo.proto.client.RangeCursor;
import io.kivaloo.proto.kvlds.Key;
import io.kivaloo.proto.kvlds.KvldsResponse;

import java.io.IOException;
import java.io.UncheckedIOException;

/**
 * Copies every pair of a store, in key order, to a sink: the client
 * library's {@link RangeCursor} over ["", ""), with the original's 1 MiB
 * budget per RANGE (mux.md §3). The cursor keeps the next RANGE in flight
 * while the sink writes, holds at most two answers whatever the store's
 * size, and fails on a server that breaks the RANGE contract, so a dump
 * that completes loads back the same.
 */
final class DumpScan {

    private final KvldsClient client;
    private final Progress progress;

    DumpScan(KvldsClient client, Progress progress) {
        this.client = client;
        this.progress = progress;
    }

    /** Writes every pair to {@code sink}; returns how many. */
    long copyTo(PairSink sink) throws IOException {
        RangeCursor cursor = client.cursor(Key.EMPTY, Key.EMPTY, RangeCursor.DEFAULT_BUDGET_BYTES);
        long pairs = 0;
        try {
            while (cursor.hasNext()) {
                KvldsResponse.Pair pair = cursor.next();
                sink.write(pair.key(), pair.value());
                progress.add(pair.key().length(), pair.value().length());
                pairs++;
            }
        } catch (UncheckedIOException e) {
            throw e.getCause();
        }
        return pairs;
    }
}
