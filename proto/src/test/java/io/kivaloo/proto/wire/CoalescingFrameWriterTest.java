package io.kivaloo.proto.wire;

import io.netty.buffer.ByteBuf;
import io.netty.channel.embedded.EmbeddedChannel;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertFalse;

class CoalescingFrameWriterTest {

    /**
     * A queued buffer holds its capacity, not its bytes: a buffer grown for
     * its last packet doubled to 128 KiB for about 64 KiB of packets (mux's
     * memory bounds count capacity). Packets come out whole and in order.
     */
    @Test
    void aPacketThatDoesNotFitStartsANewBufferInsteadOfGrowingOne() {
        EmbeddedChannel channel = new EmbeddedChannel(new FrameEncoder(), new FrameDecoder(1024));
        CoalescingFrameWriter writer = new CoalescingFrameWriter(channel);
        byte[] record = new byte[300];
        int packets = 1_000; // about 300 KiB: several buffers' worth
        for (int i = 0; i < packets; i++) {
            record[0] = (byte) i;
            writer.write(i, record.clone());
        }
        writer.flush();

        List<ByteBuf> written = new ArrayList<>();
        for (ByteBuf b; (b = channel.readOutbound()) != null; ) {
            written.add(b);
        }
        assertThat(written).hasSizeGreaterThan(1);
        for (ByteBuf b : written) {
            assertThat(b.capacity()).isLessThanOrEqualTo(CoalescingFrameWriter.LIMIT_BYTES);
            channel.writeInbound(b); // decoded back, which releases it
        }
        for (int i = 0; i < packets; i++) {
            Packet p = channel.readInbound();
            assertThat(p.id()).isEqualTo(i);
            assertThat(p.record()[0]).isEqualTo((byte) i);
        }
        assertFalse(channel.finish());
    }

    /**
     * mux starts each client's buffer small: 64 KiB for each of hundreds of
     * clients answered in one turn was what its RSS was made of. A buffer
     * filled within a turn doubles the next one, up to the limit; a turn that
     * used less than a quarter halves it, down to the smallest.
     */
    @Test
    void aSmallFirstBufferDoublesWhenFilledAndHalvesAfterAQuietTurn() {
        EmbeddedChannel channel = new EmbeddedChannel(new FrameEncoder(), new FrameDecoder(1024));
        CoalescingFrameWriter writer = new CoalescingFrameWriter(channel, 1024);
        byte[] record = new byte[100]; // 116 framed bytes: 8 fit in 1 KiB, 17 in 2 KiB

        writer.write(0, record.clone());
        writer.flush();
        assertThat(capacities(channel)).containsExactly(1024);
        assertThat(writer.bufferBytes()).isEqualTo(1024); // smallest already: stays

        for (int i = 0; i < 8 + 17 + 1; i++) { // fills 1 KiB, then 2 KiB, one packet into the third
            writer.write(i, record.clone());
        }
        assertThat(writer.bufferBytes()).isEqualTo(4096);
        writer.flush(); // 116 of 4096 bytes used: a quiet turn
        assertThat(capacities(channel)).containsExactly(1024, 2048, 4096);
        assertThat(writer.bufferBytes()).isEqualTo(2048);

        writer.write(0, record.clone());
        writer.flush();
        writer.write(0, record.clone());
        writer.flush();
        assertThat(capacities(channel)).containsExactly(2048, 1024);
        assertThat(writer.bufferBytes()).isEqualTo(1024);
        assertFalse(channel.finish());
    }

    @Test
    void bufferNeverExceedsTheLimitHoweverLongTheBurst() {
        EmbeddedChannel channel = new EmbeddedChannel(new FrameEncoder(), new FrameDecoder(1024));
        CoalescingFrameWriter writer = new CoalescingFrameWriter(channel, 1);
        for (int i = 0; i < 5_000; i++) {
            writer.write(i, new byte[100]);
        }
        assertThat(writer.bufferBytes()).isEqualTo(CoalescingFrameWriter.LIMIT_BYTES);
        writer.flush();
        assertThat(capacities(channel)).allSatisfy(c -> assertThat(c).isLessThanOrEqualTo(CoalescingFrameWriter.LIMIT_BYTES));
        assertFalse(channel.finish());
    }

    @Test
    void aPipeliningConnectionStartsAtTheLimit() {
        EmbeddedChannel channel = new EmbeddedChannel(new FrameEncoder());
        CoalescingFrameWriter writer = new CoalescingFrameWriter(channel);
        writer.write(0, new byte[10]);
        writer.flush();
        assertThat(capacities(channel)).containsExactly(CoalescingFrameWriter.LIMIT_BYTES);
        assertFalse(channel.finish());
    }

    /** The capacities of the buffers written so far, in order; each is released. */
    private static List<Integer> capacities(EmbeddedChannel channel) {
        List<Integer> out = new ArrayList<>();
        for (ByteBuf b; (b = channel.readOutbound()) != null; ) {
            out.add(b.capacity());
            b.release();
        }
        return out;
    }
}
