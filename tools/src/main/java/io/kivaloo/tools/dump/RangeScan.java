package io.kivaloo.tools.dump;

import io.kivaloo.proto.client.KvldsClient;
import io.kivaloo.proto.kvlds.Key;
import io.kivaloo.proto.kvlds.KvldsResponse;

import java.io.IOException;
import java.util.concurrent.CompletableFuture;

/**
 * Reads every pair of a store in key order, by RANGE iteration as the
 * original's {@code proto_kvlds_request_range2} (kvlds.md §2.2): from "" with
 * a 1 MiB budget, then from each answer's {@code next}, until {@code next} is
 * "" (the keyspace covered to its end).
 *
 * <p>The next RANGE is sent as soon as an answer arrives, before that
 * answer's pairs are written, so the server works while the sink writes;
 * at most two answers are held, whatever the store's size. Each key must be
 * above the one before it: a server that breaks the RANGE contract fails the
 * dump instead of writing a dump that would not load back the same.
 */
final class RangeScan {

    /** Budget per RANGE, the original's (0x100000 bytes). */
    static final long BATCH_BYTES = 0x100000;

    private final KvldsClient client;
    private final Progress progress;

    RangeScan(KvldsClient client, Progress progress) {
        this.client = client;
        this.progress = progress;
    }

    /** Writes every pair to {@code sink}; returns how many. */
    long copyTo(PairSink sink) throws IOException {
        long pairs = 0;
        Key start = Key.EMPTY;
        Key last = null;
        CompletableFuture<KvldsResponse.Range> pending = client.range(start, Key.EMPTY, BATCH_BYTES);
        while (pending != null) {
            KvldsResponse.Range answer = Completion.await(pending);
            Key next = answer.next();
            if (next.isEmpty()) {
                pending = null;
            } else if (next.compareTo(start) <= 0) {
                throw new IOException("RANGE made no progress: start=" + start + " next=" + next);
            } else {
                pending = client.range(next, Key.EMPTY, BATCH_BYTES);
            }
            for (KvldsResponse.Pair pair : answer.pairs()) {
                if (last != null && pair.key().compareTo(last) <= 0) {
                    throw new IOException("RANGE out of order: key " + pair.key() + " after " + last);
                }
                last = pair.key();
                sink.write(pair.key(), pair.value());
                progress.add(pair.key().length(), pair.value().length());
                pairs++;
            }
            start = next;
        }
        return pairs;
    }
}
