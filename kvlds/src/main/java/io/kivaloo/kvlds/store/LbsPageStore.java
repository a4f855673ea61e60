package io.kivaloo.kvlds.store;

import io.kivaloo.proto.client.LbsClient;
import io.kivaloo.proto.lbs.LbsResponse;
import java.io.IOException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

/**
 * {@link PageStore} over a connection to an lbs daemon (ours or the C one).
 * The client must be registered on the tree's owner event loop so that its
 * answers arrive there. A refused APPEND becomes a failed future.
 */
public final class LbsPageStore implements PageStore {

    private final LbsClient client;
    private final int blockSize;

    public LbsPageStore(LbsClient client, int blockSize) {
        this.client = client;
        this.blockSize = blockSize;
    }

    @Override
    public int blockSize() {
        return blockSize;
    }

    @Override
    public CompletableFuture<byte[]> get(long block) {
        return client.get(block).thenApply(LbsResponse.Get::block);
    }

    @Override
    public CompletableFuture<Long> append(long block, byte[][] blocks) {
        return client.append(block, blocks).thenApply(r -> {
            if (!r.accepted()) {
                throw new CompletionException(new IOException("lbs refused APPEND block=" + Long.toUnsignedString(block)
                        + " count=" + blocks.length));
            }
            return r.nextBlock();
        });
    }

    @Override
    public CompletableFuture<Void> free(long block) {
        return client.free(block);
    }
}
