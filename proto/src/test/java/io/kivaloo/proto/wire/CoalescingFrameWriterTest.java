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
}
