package io.kivaloo.proto.client;

import io.kivaloo.proto.client.StubServer.Kind;
import io.kivaloo.proto.kvlds.Key;
import io.kivaloo.proto.kvlds.KvldsCodec;
import io.kivaloo.proto.kvlds.KvldsRequest;
import io.kivaloo.proto.kvlds.KvldsResponse;
import io.kivaloo.proto.net.Transport;
import io.kivaloo.proto.wire.Packet;
import io.kivaloo.proto.wire.ProtocolException;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A RANGE stream over 100,000 pairs in bounded memory, shown by counting
 * rather than by heap timing: a server that makes every pair on demand
 * (it stores nothing) counts the RANGEs it is asked, and while the consumer
 * takes the pairs one by one the cursor is never more than one answer ahead
 * of it, the one it holds and the one in flight, so at most two answers'
 * pairs exist at any time however long the range.
 */
class RangeCursorTest {

    private static final Duration DEADLINE = Duration.ofSeconds(60);
    private static final int PAIRS = 100_000;
    private static final int PAIRS_PER_ANSWER = 100;

    @TempDir
    Path dir;

    private final Transport transport = Transport.best();
    private final EventLoopGroup group = transport.newEventLoopGroup(1, "range-cursor-test");
    private final AtomicInteger rangesAsked = new AtomicInteger();

    @AfterEach
    void shutDown() {
        group.shutdownGracefully(0, 10, TimeUnit.SECONDS).syncUninterruptibly();
    }

    @Test
    void aStreamOf100000PairsStaysOneAnswerAheadOfItsConsumer() {
        try (StubServer server = StubServer.start(Kind.UNIX, transport, group, dir, GeneratedKeyspace::new);
             KvldsClient client = KvldsClient.connect(server.address(), group, transport).join()) {
            RangeCursor cursor = client.withRequestTimeout(DEADLINE).cursor(Key.EMPTY, Key.EMPTY);
            int taken = 0;
            while (cursor.hasNext()) {
                assertThat(cursor.next().key()).isEqualTo(key(taken));
                taken++;
                // RANGEs the server has seen beyond the answer being consumed: what the cursor holds or awaits
                // besides it. The server may not have seen the latest yet, so this is a bound, never a race.
                int answersStarted = (taken - 1) / PAIRS_PER_ANSWER + 1;
                int ahead = rangesAsked.get() - answersStarted;
                assertThat(ahead).as("answers asked beyond the one being consumed, at pair %d", taken)
                        .isLessThanOrEqualTo(1);
            }
            assertThat(taken).isEqualTo(PAIRS);
            assertThat(rangesAsked.get()).isEqualTo(PAIRS / PAIRS_PER_ANSWER);
            assertThat(cursor.largestAnswerBytes()).isEqualTo(PAIRS_PER_ANSWER * (2 + 11 + 200));
        }
    }

    @Test
    void theStreamStopsWhereNextReachesEnd() {
        try (StubServer server = StubServer.start(Kind.UNIX, transport, group, dir, GeneratedKeyspace::new);
             KvldsClient client = KvldsClient.connect(server.address(), group, transport).join()) {
            List<Key> keys = new ArrayList<>();
            client.withRequestTimeout(DEADLINE).stream(key(99_850), key(99_950)).forEach(pair -> keys.add(pair.key()));
            assertThat(keys).hasSize(100).startsWith(key(99_850)).endsWith(key(99_949));
            // The answer's next is END itself: nothing more is asked.
            assertThat(rangesAsked.get()).isEqualTo(1);
        }
    }

    private static Key key(int i) {
        return Key.of(String.format("key%08d", i));
    }

    /**
     * Keys key00000000 .. key00099999, each with a 200-byte value, made per
     * RANGE from its start: {@value #PAIRS_PER_ANSWER} pairs per answer
     * (fewer before the end), {@code next} the key after the last.
     */
    private final class GeneratedKeyspace extends SimpleChannelInboundHandler<Packet> {

        private final Key value = Key.of(new byte[200]);

        @Override
        protected void channelRead0(ChannelHandlerContext ctx, Packet packet) throws ProtocolException {
            KvldsRequest request = KvldsCodec.decodeRequest(packet.record());
            KvldsResponse answer;
            if (request instanceof KvldsRequest.Range) {
                rangesAsked.incrementAndGet();
                answer = range((KvldsRequest.Range) request);
            } else if (request instanceof KvldsRequest.Params) {
                answer = new KvldsResponse.Params(255, 255);
            } else {
                throw new AssertionError("unexpected request " + request);
            }
            ctx.writeAndFlush(new Packet(packet.id(), KvldsCodec.encodeResponse(answer)));
        }

        private KvldsResponse.Range range(KvldsRequest.Range request) {
            int first = request.start().isEmpty() ? 0 : Integer.parseInt(request.start().toUtf8String().substring(3));
            int end = request.end().isEmpty() ? PAIRS : Integer.parseInt(request.end().toUtf8String().substring(3));
            List<KvldsResponse.Pair> pairs = new ArrayList<>();
            int i = first;
            for (; i < end && pairs.size() < PAIRS_PER_ANSWER; i++) {
                pairs.add(new KvldsResponse.Pair(key(i), value));
            }
            return new KvldsResponse.Range(i < end ? key(i) : Key.EMPTY, pairs);
        }
    }
}
