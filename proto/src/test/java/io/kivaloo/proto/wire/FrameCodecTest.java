package io.kivaloo.proto.wire;

import io.kivaloo.proto.wire.WireVectors.Vector;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.FieldSource;

import java.util.Arrays;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.junit.jupiter.api.Assertions.assertFalse;

/**
 * {@link FrameEncoder} and {@link FrameDecoder} against the packet vectors of
 * wire.md §4, byte for byte, and the reading rules of wire.md §2.1.
 */
class FrameCodecTest {

    static final java.util.List<Vector> VECTORS = WireVectors.ALL;

    // ---- encoder

    @ParameterizedTest
    @FieldSource("VECTORS")
    void encoderWritesTheVectorByteForByte(Vector v) {
        EmbeddedChannel channel = new EmbeddedChannel(new FrameEncoder());
        assertThat(channel.writeOutbound(v.toPacket())).isTrue();
        ByteBuf out = channel.readOutbound();
        try {
            assertThat(ByteBufUtil.getBytes(out)).isEqualTo(v.packet());
        } finally {
            out.release();
        }
        assertFalse(channel.finish());
    }

    @ParameterizedTest
    @FieldSource("VECTORS")
    void encoderFramesIntoACallersBuffer(Vector v) {
        ByteBuf out = Unpooled.buffer();
        try {
            new FrameEncoder().encode(v.toPacket(), out);
            assertThat(ByteBufUtil.getBytes(out)).isEqualTo(v.packet());
        } finally {
            out.release();
        }
    }

    @Test
    void encoderWritesEachPacketAsOneBuffer() {
        EmbeddedChannel channel = new EmbeddedChannel(new FrameEncoder());
        channel.writeOutbound(WireVectors.V3.toPacket(), WireVectors.V5.toPacket());
        for (Vector v : new Vector[] {WireVectors.V3, WireVectors.V5}) {
            ByteBuf out = channel.readOutbound();
            try {
                assertThat(ByteBufUtil.getBytes(out)).isEqualTo(v.packet());
            } finally {
                out.release();
            }
        }
        assertFalse(channel.finish());
    }

    // ---- decoder: the vectors

    @ParameterizedTest
    @FieldSource("VECTORS")
    void decoderReadsTheVectorWhole(Vector v) {
        DecoderProbe probe = new DecoderProbe(WireFormat.DEFAULT_MAX_RECORD_LENGTH).feed(v.packet());
        assertDecodedExactly(probe, v);
        assertFalse(probe.finish());
    }

    @ParameterizedTest
    @FieldSource("VECTORS")
    void decoderReadsTheVectorSplitAtEveryBytePosition(Vector v) {
        byte[] packet = v.packet();
        for (int split = 0; split <= packet.length; split++) {
            DecoderProbe probe = new DecoderProbe(WireFormat.DEFAULT_MAX_RECORD_LENGTH);
            probe.feed(packet, 0, split);
            if (split < packet.length) {
                assertThat(probe.packets).as("packet delivered from %d of %d bytes", split, packet.length).isEmpty();
            }
            probe.feed(packet, split, packet.length);
            assertDecodedExactly(probe, v);
            assertFalse(probe.finish());
        }
    }

    @ParameterizedTest
    @FieldSource("VECTORS")
    void decoderReadsTheVectorOneByteAtATime(Vector v) {
        DecoderProbe probe = new DecoderProbe(WireFormat.DEFAULT_MAX_RECORD_LENGTH);
        for (int i = 0; i < v.packet().length; i++) {
            probe.feed(v.packet(), i, i + 1);
        }
        assertDecodedExactly(probe, v);
        assertFalse(probe.finish());
    }

    @Test
    void severalPacketsInOneBufferDecodeInOnePass() {
        DecoderProbe probe = new DecoderProbe(WireFormat.DEFAULT_MAX_RECORD_LENGTH).feed(WireVectors.concatenated());
        assertThat(probe.errors).isEmpty();
        assertThat(probe.packets).hasSize(VECTORS.size());
        for (int i = 0; i < VECTORS.size(); i++) {
            assertSamePacket(probe.packets.get(i), VECTORS.get(i));
        }
        assertFalse(probe.finish());
    }

    @Test
    void completePacketsBeforeAPartialOneAreDeliveredAtOnce() {
        byte[] all = WireVectors.concatenated();
        DecoderProbe probe = new DecoderProbe(WireFormat.DEFAULT_MAX_RECORD_LENGTH).feed(all, 0, all.length - 1);
        assertThat(probe.packets).hasSize(VECTORS.size() - 1);
        probe.feed(all, all.length - 1, all.length);
        assertThat(probe.packets).hasSize(VECTORS.size());
        assertThat(probe.errors).isEmpty();
        assertFalse(probe.finish());
    }

    @Test
    void truncatedPacketAtEndOfStreamYieldsNothingAndNoError() {
        byte[] packet = WireVectors.V3.packet();
        DecoderProbe probe = new DecoderProbe(WireFormat.DEFAULT_MAX_RECORD_LENGTH).feed(packet, 0, packet.length - 1);
        assertFalse(probe.finish());
        assertThat(probe.packets).isEmpty();
        assertThat(probe.errors).isEmpty();
    }

    // ---- decoder: reading rules and failures

    @Test
    void badHeaderCrcFailsWithoutWaitingForTheBody() {
        byte[] packet = WireVectors.V3.packet().clone();
        packet[WireFormat.HEADER_CRC_OFFSET] ^= 1;
        DecoderProbe probe = new DecoderProbe(WireFormat.DEFAULT_MAX_RECORD_LENGTH).feed(packet, 0, WireFormat.HEADER_LENGTH);
        assertThat(probe.errors).singleElement().isInstanceOf(ProtocolException.class)
                .extracting(Throwable::getMessage).isEqualTo("Incorrect CRC on packet header");
        assertThat(probe.decoder.isFailed()).isTrue();
        assertFalse(probe.finish());
    }

    @Test
    void headerCrcIsCheckedBeforeTheLengthIsTrusted() {
        // A corrupted length that grew would otherwise leave the decoder waiting for bytes that never come.
        byte[] packet = WireVectors.V3.packet().clone();
        packet[WireFormat.LENGTH_OFFSET] ^= (byte) 0x80;
        DecoderProbe probe = new DecoderProbe(WireFormat.MAX_RECORD_LENGTH).feed(packet);
        assertThat(probe.errors).singleElement().extracting(Throwable::getMessage).isEqualTo("Incorrect CRC on packet header");
        assertThat(probe.packets).isEmpty();
        assertFalse(probe.finish());
    }

    @Test
    void badTrailerFailsOnceTheBodyHasArrived() {
        byte[] packet = WireVectors.V3.packet().clone();
        packet[packet.length - 1] ^= 0x40;
        DecoderProbe probe = new DecoderProbe(WireFormat.DEFAULT_MAX_RECORD_LENGTH).feed(packet, 0, packet.length - 1);
        assertThat(probe.errors).isEmpty();
        probe.feed(packet, packet.length - 1, packet.length);
        assertThat(probe.errors).singleElement().isInstanceOf(ProtocolException.class)
                .extracting(Throwable::getMessage).isEqualTo("Incorrect CRC on packet data");
        assertThat(probe.packets).isEmpty();
        assertFalse(probe.finish());
    }

    @Test
    void trailerIsTheRecordCrcXorTheHeaderCrcNotTheRecordCrc() {
        // V3's crc(record) is 24752e41; a peer that sent it as the trailer must be rejected.
        byte[] packet = WireVectors.V3.packet().clone();
        byte[] plainCrc = java.util.HexFormat.of().parseHex("24752e41");
        System.arraycopy(plainCrc, 0, packet, packet.length - 4, 4);
        DecoderProbe probe = new DecoderProbe(WireFormat.DEFAULT_MAX_RECORD_LENGTH).feed(packet);
        assertThat(probe.errors).singleElement().extracting(Throwable::getMessage).isEqualTo("Incorrect CRC on packet data");
        assertFalse(probe.finish());
    }

    @Test
    void lengthAboveTheLimitFailsBeforeTheBody() {
        Vector v = WireVectors.V3; // 17-byte record
        DecoderProbe probe = new DecoderProbe(16).feed(v.packet(), 0, WireFormat.HEADER_LENGTH);
        assertThat(probe.errors).singleElement().isInstanceOf(ProtocolException.class)
                .extracting(Throwable::getMessage).isEqualTo("record length: 17 (expected: <= 16)");
        assertFalse(probe.finish());
    }

    @Test
    void lengthAtTheLimitIsAccepted() {
        DecoderProbe probe = new DecoderProbe(17).feed(WireVectors.V3.packet());
        assertDecodedExactly(probe, WireVectors.V3);
        DecoderProbe empty = new DecoderProbe(0).feed(WireVectors.V4.packet());
        assertDecodedExactly(empty, WireVectors.V4);
        assertFalse(probe.finish());
        assertFalse(empty.finish());
    }

    @Test
    void failureIsReportedOnceAndAllLaterInputIsDiscarded() {
        byte[] bad = WireVectors.V2.packet().clone();
        bad[20] ^= 1; // in the record
        DecoderProbe probe = new DecoderProbe(WireFormat.DEFAULT_MAX_RECORD_LENGTH);
        probe.feed(WireVectors.V1.packet()).feed(bad).feed(WireVectors.V3.packet()).feed(WireVectors.concatenated());
        assertThat(probe.packets).hasSize(1);
        assertSamePacket(probe.packets.get(0), WireVectors.V1);
        assertThat(probe.errors).hasSize(1);
        assertThat(probe.decoder.isFailed()).isTrue();
        assertFalse(probe.finish());
    }

    @Test
    void packetsAheadOfABadOneInTheSameReadAreDelivered() {
        byte[] good = WireVectors.concatenated();
        byte[] stream = Arrays.copyOf(good, good.length + WireVectors.V5.packet().length);
        byte[] bad = WireVectors.V5.packet().clone();
        bad[0] ^= (byte) 0x80; // in the ID: header CRC
        System.arraycopy(bad, 0, stream, good.length, bad.length);
        DecoderProbe probe = new DecoderProbe(WireFormat.DEFAULT_MAX_RECORD_LENGTH).feed(stream);
        assertThat(probe.packets).hasSize(VECTORS.size());
        assertThat(probe.errors).hasSize(1);
        assertFalse(probe.finish());
    }

    @Test
    void hugeLengthClosesConnectionWithoutAllocating() {
        // A valid header announcing a record of almost 4 GiB: the C reader would try to allocate it.
        byte[] header = Frames.header(42, 0xFFFFFFF0L);
        CappedAllocator allocator = new CappedAllocator(64 * 1024);
        DecoderProbe probe = new DecoderProbe(WireFormat.DEFAULT_MAX_RECORD_LENGTH, allocator);
        // In two reads, so that the decoder has to accumulate through the allocator.
        probe.feed(header, 0, 8);
        assertThat(probe.errors).isEmpty();
        probe.feed(header, 8, header.length);
        assertThat(probe.errors).singleElement().isInstanceOf(ProtocolException.class)
                .extracting(Throwable::getMessage)
                .isEqualTo("record length: 4294967280 (expected: <= " + WireFormat.DEFAULT_MAX_RECORD_LENGTH + ")");
        assertThat(probe.decoder.isFailed()).isTrue();

        // Everything after it is discarded, whatever it is: 1 MiB of body, then valid packets.
        byte[] chunk = new byte[16 * 1024];
        for (int i = 0; i < 64; i++) {
            probe.feed(chunk);
        }
        probe.feed(WireVectors.concatenated());
        assertThat(probe.packets).isEmpty();
        assertThat(probe.errors).hasSize(1);
        assertThat(probe.strays).isEmpty();
        assertThat(allocator.largestRequest()).isLessThanOrEqualTo(64 * 1024);
        assertFalse(probe.finish());
    }

    @Test
    void hugeLengthIsRejectedEvenWithTheLargestLimit() {
        DecoderProbe probe = new DecoderProbe(WireFormat.MAX_RECORD_LENGTH).feed(Frames.header(0, 0xFFFFFFF0L));
        assertThat(probe.errors).singleElement().isInstanceOf(ProtocolException.class);
        assertFalse(probe.finish());
    }

    @Test
    void anAnnouncedLengthWithinTheLimitIsNotAllocatedBeforeTheBodyArrives() {
        CappedAllocator allocator = new CappedAllocator(64 * 1024);
        DecoderProbe probe = new DecoderProbe(WireFormat.DEFAULT_MAX_RECORD_LENGTH, allocator);
        byte[] header = Frames.header(7, WireFormat.DEFAULT_MAX_RECORD_LENGTH);
        probe.feed(header, 0, 10).feed(header, 10, header.length).feed(new byte[1000]);
        assertThat(probe.errors).isEmpty();
        assertThat(probe.packets).isEmpty();
        assertThat(allocator.largestRequest()).isLessThanOrEqualTo(64 * 1024);
        assertFalse(probe.finish());
    }

    @Test
    void maxRecordLengthOutsideTheArrayLimitIsRefused() {
        assertThatIllegalArgumentException().isThrownBy(() -> new FrameDecoder(-1));
        assertThatIllegalArgumentException().isThrownBy(() -> new FrameDecoder(WireFormat.MAX_RECORD_LENGTH + 1));
    }

    @Test
    void packetLengthAddsTheFraming() {
        assertThat(FrameDecoder.packetLength(0)).isEqualTo(20);
        assertThat(FrameDecoder.packetLength(17)).isEqualTo(WireVectors.V3.packet().length);
    }

    // ---- helpers

    private static void assertDecodedExactly(DecoderProbe probe, Vector v) {
        assertThat(probe.errors).isEmpty();
        assertThat(probe.strays).isEmpty();
        assertThat(probe.packets).hasSize(1);
        assertSamePacket(probe.packets.get(0), v);
    }

    private static void assertSamePacket(Packet packet, Vector v) {
        assertThat(packet.id()).as("id of %s", v).isEqualTo(v.id());
        assertThat(packet.record()).as("record of %s", v).isEqualTo(v.record());
    }
}
