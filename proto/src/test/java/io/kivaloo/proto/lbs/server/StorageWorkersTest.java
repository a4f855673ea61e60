package io.kivaloo.proto.lbs.server;

import io.kivaloo.proto.lbs.store.BlockStorage;
import org.junit.jupiter.api.Test;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Issue 19 item 2, the storage workers' part: an Error thrown by the storage
 * (a stack overflow, a linkage error) must fail the request, so that its
 * connection drains, and stop the store; caught as IOException or
 * RuntimeException only, it left the future incomplete for ever.
 */
class StorageWorkersTest {

    /** Storage whose every call throws {@code error}. */
    private static BlockStorage throwing(Error error) {
        return new BlockStorage() {
            @Override
            public int blockSize() {
                return 512;
            }

            @Override
            public long nextBlock() {
                return 0;
            }

            @Override
            public byte[] read(long block) {
                throw error;
            }

            @Override
            public long append(long firstBlock, byte[] data, int count) {
                throw error;
            }

            @Override
            public void free(long below) {
                throw error;
            }
        };
    }

    @Test
    void anErrorDuringAGetFailsTheGetAndStopsTheStore() throws Exception {
        StackOverflowError error = new StackOverflowError("injected");
        CompletableFuture<Throwable> fatal = new CompletableFuture<>();
        try (StorageWorkers workers = new StorageWorkers("t", throwing(error), 1, 0, fatal::complete)) {
            CompletableFuture<byte[]> get = workers.read(0, () -> true);
            // A deadline on an event, not a timed assert: before the fix the future never completed.
            assertThatThrownBy(() -> get.get(60, TimeUnit.SECONDS)).isInstanceOf(ExecutionException.class).hasCause(error);
            assertThat(fatal.get(60, TimeUnit.SECONDS)).isSameAs(error);
        }
    }

    @Test
    void anErrorDuringAnAppendFailsTheAppendAndStopsTheStore() throws Exception {
        LinkageError error = new LinkageError("injected");
        CompletableFuture<Throwable> fatal = new CompletableFuture<>();
        try (StorageWorkers workers = new StorageWorkers("t", throwing(error), 1, 0, fatal::complete)) {
            CompletableFuture<Long> append = workers.append(0, new byte[512], 1);
            assertThatThrownBy(() -> append.get(60, TimeUnit.SECONDS)).isInstanceOf(ExecutionException.class).hasCause(error);
            assertThat(fatal.get(60, TimeUnit.SECONDS)).isSameAs(error);
        }
    }

    @Test
    void anErrorDuringAFreeStopsTheStore() throws Exception {
        LinkageError error = new LinkageError("injected");
        CompletableFuture<Throwable> fatal = new CompletableFuture<>();
        try (StorageWorkers workers = new StorageWorkers("t", throwing(error), 1, 0, fatal::complete)) {
            workers.free(1);
            assertThat(fatal.get(60, TimeUnit.SECONDS)).isSameAs(error);
        }
    }
}
