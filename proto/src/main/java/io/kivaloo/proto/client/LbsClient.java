package io.kivaloo.proto.client;

import io.kivaloo.proto.lbs.LbsCodec;
import io.kivaloo.proto.lbs.LbsRequest;
import io.kivaloo.proto.lbs.LbsResponse;
import io.kivaloo.proto.net.KivalooAddress;
import io.kivaloo.proto.net.Transport;
import io.kivaloo.proto.wire.WireFormat;
import io.netty.channel.EventLoopGroup;

import java.util.Arrays;
import java.util.concurrent.CompletableFuture;

/**
 * Asynchronous, pipelined client of the LBS protocol (lbs.md §2). Answers of
 * GET are checked against the block size learned from the first PARAMS or
 * PARAMS2. Threading as in {@link ClientConnection}.
 */
public final class LbsClient implements AutoCloseable {

    private final ClientConnection connection;
    private volatile int blockSize;

    private LbsClient(ClientConnection connection) {
        this.connection = connection;
    }

    /** Connects on {@code group}, which the caller keeps owning. */
    public static CompletableFuture<LbsClient> connect(KivalooAddress address, EventLoopGroup group, Transport transport) {
        return ClientConnection.connect(address, group, transport, WireFormat.DEFAULT_MAX_RECORD_LENGTH)
                .thenApply(LbsClient::new);
    }

    /** Connects on an event loop of its own, shut down by {@link #close()}. */
    public static CompletableFuture<LbsClient> connect(KivalooAddress address) {
        return ClientConnection.connect(address, "lbs-client", WireFormat.DEFAULT_MAX_RECORD_LENGTH).thenApply(LbsClient::new);
    }

    public CompletableFuture<LbsResponse.Params> params() {
        LbsRequest request = new LbsRequest.Params();
        return connection.send(LbsCodec.encodeRequest(request), r -> {
            LbsResponse.Params p = (LbsResponse.Params) LbsCodec.decodeResponse(request, r, 0);
            blockSize = p.blockSize();
            return p;
        });
    }

    public CompletableFuture<LbsResponse.Params2> params2() {
        LbsRequest request = new LbsRequest.Params2();
        return connection.send(LbsCodec.encodeRequest(request), r -> {
            LbsResponse.Params2 p = (LbsResponse.Params2) LbsCodec.decodeResponse(request, r, 0);
            blockSize = p.blockSize();
            return p;
        });
    }

    /** Reads one block; the answer is {@link LbsResponse.Get#ABSENT} if the block is not stored. */
    public CompletableFuture<LbsResponse.Get> get(long block) {
        LbsRequest request = new LbsRequest.Get(block);
        return connection.send(LbsCodec.encodeRequest(request),
                r -> (LbsResponse.Get) LbsCodec.decodeResponse(request, r, blockSize));
    }

    /**
     * Appends {@code blocks}, all of the same length, starting at {@code block}.
     * The arrays go out as they are, never joined into one record
     * ({@link io.kivaloo.proto.wire.GatheredPacket}); nobody may modify them afterwards.
     */
    public CompletableFuture<LbsResponse.Append> append(long block, byte[]... blocks) {
        if (blocks.length == 0) {
            throw new IllegalArgumentException("APPEND of no blocks");
        }
        for (byte[] b : blocks) {
            if (b.length != blocks[0].length) {
                throw new IllegalArgumentException("APPEND of blocks of " + blocks[0].length + " and " + b.length + " bytes");
            }
        }
        byte[][] pieces = new byte[blocks.length + 1][];
        pieces[0] = LbsCodec.appendHeader(block, blocks.length);
        System.arraycopy(blocks, 0, pieces, 1, blocks.length);
        return connection.sendGathered(pieces, LbsCodec::decodeAppendResponse);
    }

    /**
     * Appends {@code count} blocks held back to back in {@code data}: for
     * tools and tests that build blocks in one array. Splits them (a copy)
     * and sends them as {@link #append(long, byte[]...)} does.
     */
    public CompletableFuture<LbsResponse.Append> append(long block, int count, byte[] data) {
        if (count <= 0 || data.length % count != 0) {
            throw new IllegalArgumentException("APPEND of " + data.length + " bytes as " + count + " blocks");
        }
        int length = data.length / count;
        byte[][] blocks = new byte[count][];
        for (int i = 0; i < count; i++) {
            blocks[i] = Arrays.copyOfRange(data, i * length, (i + 1) * length);
        }
        return append(block, blocks);
    }

    /** Tells the store that blocks below {@code block} may be deleted. */
    public CompletableFuture<Void> free(long block) {
        LbsRequest request = new LbsRequest.Free(block);
        return connection.send(LbsCodec.encodeRequest(request), r -> {
            LbsCodec.decodeResponse(request, r, blockSize);
            return null;
        });
    }

    /** Sends an already encoded record and returns the raw response record: for tests and proxies. */
    public CompletableFuture<byte[]> sendRaw(byte[] record) {
        return connection.send(record, r -> r);
    }

    public ClientConnection connection() {
        return connection;
    }

    /** Completes when the connection closes. */
    public CompletableFuture<Void> closeFuture() {
        return connection.closeFuture();
    }

    @Override
    public void close() {
        connection.close();
    }
}
