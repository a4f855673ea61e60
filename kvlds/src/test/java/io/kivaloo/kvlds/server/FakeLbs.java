package io.kivaloo.kvlds.server;

import io.kivaloo.proto.lbs.LbsCodec;
import io.kivaloo.proto.lbs.LbsRequest;
import io.kivaloo.proto.lbs.LbsResponse;
import io.kivaloo.proto.net.KivalooAddress;
import io.kivaloo.proto.net.Transport;
import io.kivaloo.proto.wire.FrameDecoder;
import io.kivaloo.proto.wire.FrameEncoder;
import io.kivaloo.proto.wire.Packet;
import io.kivaloo.proto.wire.ProtocolException;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import java.nio.file.Path;
import java.util.List;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;

/**
 * A small in-memory lbs server for kvlds tests, speaking the real protocol
 * over a Unix socket (proto's codec), with fault switches: refuse APPENDs,
 * hold them (as an lbs whose fsync has not finished: not stored, not
 * answered) and then answer or refuse them, corrupt a block, drop the
 * connection. State lives on its own event loop; the test reads it through
 * {@link #call}.
 */
final class FakeLbs implements AutoCloseable {

    private final int blockSize;
    private final EventLoopGroup group;
    private final Channel server;
    private final KivalooAddress address;
    private final TreeMap<Long, byte[]> blocks = new TreeMap<>();
    private long nextBlock;
    private volatile boolean refuseAppends;
    /** APPENDs held back while {@link #holdAppends} is on, to be stored and answered, or refused; loop thread only. */
    private final java.util.List<java.util.function.Consumer<Boolean>> heldAppends = new java.util.ArrayList<>();
    private boolean holding;
    private final java.util.concurrent.Semaphore appendsSeen = new java.util.concurrent.Semaphore(0);
    /** APPENDs received since start; loop thread only. */
    private int appendsReceived;
    private volatile Channel client;

    FakeLbs(Path socket, int blockSize) throws Exception {
        this.blockSize = blockSize;
        this.address = KivalooAddress.parse(socket.toString());
        Transport transport = Transport.best();
        group = transport.newEventLoopGroup(1, "fake-lbs");
        server = new ServerBootstrap().group(group).channel(transport.serverChannelClass(address))
                .childHandler(new ChannelInitializer<Channel>() {
                    @Override
                    protected void initChannel(Channel ch) {
                        client = ch;
                        ch.pipeline().addLast(new FrameDecoder(1 << 28), new FrameEncoder(), new Handler());
                    }
                })
                .bind(transport.unixSocketAddress((KivalooAddress.Unix) address)).sync().channel();
    }

    KivalooAddress address() {
        return address;
    }

    void refuseAppends(boolean refuse) {
        refuseAppends = refuse;
    }

    /** While on, APPENDs are neither stored nor answered until {@link #releaseAppends} or {@link #refuseHeldAppends}. */
    void holdAppends() throws Exception {
        call(() -> holding = true);
    }

    /** Waits until an APPEND has arrived (since the last call). */
    void awaitAppend() throws Exception {
        if (!appendsSeen.tryAcquire(60, TimeUnit.SECONDS)) {
            throw new AssertionError("no APPEND arrived");
        }
    }

    /** Stores and answers the held APPENDs and stops holding. */
    void releaseAppends() throws Exception {
        call(() -> {
            holding = false;
            answerHeld(true);
            return null;
        });
    }

    /** Stores and answers the held APPENDs; later ones are held too. */
    void answerHeldAppends() throws Exception {
        call(() -> answerHeld(true));
    }

    /** Refuses the held APPENDs (nothing of them is stored); later ones are held too. */
    void refuseHeldAppends() throws Exception {
        call(() -> answerHeld(false));
    }

    private Void answerHeld(boolean store) {
        List<java.util.function.Consumer<Boolean>> held = new java.util.ArrayList<>(heldAppends);
        heldAppends.clear();
        held.forEach(a -> a.accept(store));
        return null;
    }

    int appendsReceived() throws Exception {
        return call(() -> appendsReceived);
    }

    /** Waits until kvlds's connection has closed: everything it sent before has been handled. */
    void awaitClientClosed() {
        Channel c = client;
        if (c != null && !c.closeFuture().awaitUninterruptibly(60, TimeUnit.SECONDS)) {
            throw new AssertionError("kvlds's lbs connection did not close");
        }
    }

    /** Runs {@code task} on the fake's loop and waits. */
    <T> T call(java.util.concurrent.Callable<T> task) throws Exception {
        return group.next().submit(task).get(60, TimeUnit.SECONDS);
    }

    long nextBlockNow() throws Exception {
        return call(() -> nextBlock);
    }

    void corrupt(long block, byte[] bytes) throws Exception {
        call(() -> blocks.put(block, bytes));
    }

    byte[] block(long block) throws Exception {
        return call(() -> blocks.get(block));
    }

    int storedBlocks() throws Exception {
        return call(blocks::size);
    }

    void dropClient() {
        Channel c = client;
        if (c != null) {
            c.close().awaitUninterruptibly();
        }
    }

    @Override
    public void close() {
        server.close().awaitUninterruptibly();
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS).awaitUninterruptibly(10, TimeUnit.SECONDS);
    }

    private final class Handler extends SimpleChannelInboundHandler<Packet> {
        @Override
        protected void channelRead0(ChannelHandlerContext ctx, Packet packet) throws ProtocolException {
            LbsRequest request = LbsCodec.decodeRequest(packet.record());
            if (request.type() == LbsRequest.APPEND) {
                appendsReceived++;
                appendsSeen.release();
                if (holding) {
                    heldAppends.add(store -> ctx.writeAndFlush(new Packet(packet.id(), LbsCodec.encodeResponse(
                            store ? append((LbsRequest.Append) request) : LbsResponse.Append.REFUSED))));
                    return;
                }
            }
            LbsResponse response;
            switch (request.type()) {
                case LbsRequest.PARAMS2:
                    response = LbsResponse.Params2.of(blockSize, nextBlock);
                    break;
                case LbsRequest.PARAMS:
                    response = new LbsResponse.Params(blockSize, nextBlock);
                    break;
                case LbsRequest.GET: {
                    byte[] b = blocks.get(((LbsRequest.Get) request).block());
                    response = b == null ? LbsResponse.Get.ABSENT : new LbsResponse.Get(b);
                    break;
                }
                case LbsRequest.APPEND:
                    response = append((LbsRequest.Append) request);
                    break;
                default: {
                    long below = ((LbsRequest.Free) request).block();
                    // Like lbs, keep the newest block whatever FREE says.
                    blocks.headMap(Math.min(below, nextBlock - 1)).clear();
                    response = LbsResponse.Free.OK;
                    break;
                }
            }
            ctx.writeAndFlush(new Packet(packet.id(), LbsCodec.encodeResponse(response)));
        }
    }

    private LbsResponse append(LbsRequest.Append a) {
        if (refuseAppends || a.block() != nextBlock || a.blockLength() != blockSize) {
            return LbsResponse.Append.REFUSED;
        }
        for (int i = 0; i < a.count(); i++) {
            byte[] b = new byte[blockSize];
            System.arraycopy(a.data(), i * blockSize, b, 0, blockSize);
            blocks.put(a.block() + i, b);
        }
        nextBlock += a.count();
        return new LbsResponse.Append(true, nextBlock);
    }
}
