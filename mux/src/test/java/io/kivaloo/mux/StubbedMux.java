package io.kivaloo.mux;

import io.kivaloo.proto.kvlds.Key;
import io.kivaloo.proto.kvlds.KvldsCodec;
import io.kivaloo.proto.kvlds.KvldsRequest;
import io.kivaloo.proto.kvlds.KvldsResponse;
import io.kivaloo.proto.net.KivalooAddress;
import io.kivaloo.proto.net.Transport;
import io.netty.channel.EventLoopGroup;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;

/**
 * A mux running in this JVM in front of a {@link StubTarget}, with clients on
 * a test event loop of their own. Closed in reverse order of creation.
 */
final class StubbedMux implements AutoCloseable {

    final EventLoopGroup group = Transport.best().newEventLoopGroup(2, "test");
    final StubTarget stub;
    final MuxServer mux;
    final KivalooAddress muxAddress;
    private final List<TestClient> clients = new ArrayList<>();

    StubbedMux(Path dir, int kmax, int vmax, long seed, UnaryOperator<MuxConfig> tweak) throws Exception {
        stub = new StubTarget(dir.resolve("target"), group, kmax, vmax, seed).start();
        muxAddress = KivalooAddress.parse(dir.resolve("mux").toString());
        mux = MuxServer.start(tweak.apply(MuxConfig.of(stub.address(), List.of(muxAddress), 0)));
    }

    StubbedMux(Path dir, long seed) throws Exception {
        this(dir, 255, 255, seed, c -> c);
    }

    StubbedMux(Path dir, long seed, UnaryOperator<MuxConfig> tweak) throws Exception {
        this(dir, 255, 255, seed, tweak);
    }

    TestClient client() throws Exception {
        TestClient c = TestClient.connect(muxAddress, group);
        clients.add(c);
        return c;
    }

    static byte[] get(String key) {
        return KvldsCodec.encodeRequest(new KvldsRequest.Get(Key.of(key)));
    }

    static byte[] set(String key, String value) {
        return KvldsCodec.encodeRequest(new KvldsRequest.Set(Key.of(key), Key.of(value)));
    }

    /** What {@link StubTarget#echoKey} answers to GET(key). */
    static byte[] echoed(String key) {
        return KvldsCodec.encodeResponse(new KvldsResponse.Get(Key.of(key)));
    }

    @Override
    public void close() throws Exception {
        for (TestClient c : clients) {
            c.close();
        }
        mux.close();
        stub.close();
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
    }
}
