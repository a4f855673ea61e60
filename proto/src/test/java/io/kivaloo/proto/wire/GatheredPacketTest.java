package io.kivaloo.proto.wire;

import io.netty.buffer.ByteBuf;
import io.netty.channel.embedded.EmbeddedChannel;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;

import java.io.ByteArrayOutputStream;
import java.util.List;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A {@link GatheredPacket} leaves the encoder as the bytes of the packet whose
 * record is its pieces joined, framed from scratch by the bit-level CRC
 * ({@link Frames#referencePacket}), in one buffer (a single write, however
 * large: see {@link FrameEncoder}).
 */
class GatheredPacketTest {

    @Property(tries = 300)
    void gatheredIsThePacketOfTheJoinedRecord(@ForAll long id, @ForAll @Size(min = 1, max = 8) List<@Size(max = 300) byte[]> pieces) {
        assertFramedAsJoined(id, pieces.toArray(new byte[0][]));
    }

    /** Records of megabytes, as a kvlds APPEND of a few thousand pages. */
    @Property(tries = 12)
    void largeRecordsSpanSeveralBuffers(@ForAll long id, @ForAll @IntRange(min = 1, max = 3000) int blocks,
                                        @ForAll @IntRange(min = 1, max = 4096) int blockSize, @ForAll long seed) {
        Random random = new Random(seed);
        byte[][] pieces = new byte[blocks + 1][];
        pieces[0] = new byte[16];
        random.nextBytes(pieces[0]);
        for (int i = 1; i <= blocks; i++) {
            pieces[i] = new byte[blockSize];
            random.nextBytes(pieces[i]);
        }
        assertFramedAsJoined(id, pieces);
    }

    private static void assertFramedAsJoined(long id, byte[][] pieces) {
        ByteArrayOutputStream joined = new ByteArrayOutputStream();
        for (byte[] piece : pieces) {
            joined.writeBytes(piece);
        }
        EmbeddedChannel channel = new EmbeddedChannel(new FrameEncoder());
        channel.writeOutbound(new GatheredPacket(id, pieces));
        ByteBuf out = channel.readOutbound();
        byte[] framed = new byte[out.readableBytes()];
        out.readBytes(framed);
        out.release();
        assertThat(framed).isEqualTo(Frames.referencePacket(id, joined.toByteArray()));
        assertThat((Object) channel.readOutbound()).as("one buffer").isNull();
        assertThat(channel.finish()).isFalse();
    }
}
