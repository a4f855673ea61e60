package io.kivaloo.proto.wire;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Coverage-guided fuzzing (Jazzer) of {@link FrameDecoder}: whatever bytes
 * arrive, split however, the decoder delivers only packets whose CRCs check,
 * fails at most once with a {@link ProtocolException}, throws nothing, and
 * never buffers more than one largest packet plus the read in hand (the
 * {@link CappedAllocator} records the largest buffer asked for). Work is
 * bounded by construction: every packet consumes at least its 20 bytes of
 * framing, which is checked as a count.
 *
 * <p>CRCs stop a fuzzer at the header, so most inputs are valid frames that
 * the fuzzer then damages: bit flips, truncation, length fields set to the
 * boundaries (0, the maximum, one above, 2^32-1) with the header CRC fixed
 * up, so that the length checks behind it are reached too. proto/DESIGN.md,
 * "Fuzzing", says how to run it long.
 */
class FrameDecoderFuzzTest {

    private static final int MAX_RECORD = 1024;
    /** Largest single read fed to the decoder. */
    private static final int MAX_READ = 512;

    @FuzzTest
    void anyStreamYieldsCheckedPacketsOrOneProtocolException(FuzzedDataProvider data) {
        byte[] stream = data.consumeBoolean() ? damagedFrames(data) : data.consumeBytes(4 * MAX_READ);
        CappedAllocator allocator = new CappedAllocator(FrameDecoder.packetLength(MAX_RECORD) + MAX_READ);
        DecoderProbe probe = new DecoderProbe(MAX_RECORD, allocator);
        int at = 0;
        while (at < stream.length) {
            int read = Math.min(stream.length - at, data.consumeInt(1, MAX_READ));
            probe.feed(stream, at, at + read);
            at += read;
        }
        assertThat(probe.finish()).as("left in the channel").isFalse();
        assertThat(probe.strays).isEmpty();
        assertThat(probe.errors).hasSizeLessThanOrEqualTo(1).allMatch(e -> e instanceof ProtocolException);
        assertThat(probe.packets.size()).as("packets").isLessThanOrEqualTo(stream.length / WireFormat.OVERHEAD);
        for (Packet packet : probe.packets) {
            assertThat(packet.record().length).isLessThanOrEqualTo(MAX_RECORD);
        }
        assertThat(allocator.largestRequest()).as("largest buffer asked for")
                .isLessThanOrEqualTo(FrameDecoder.packetLength(MAX_RECORD) + MAX_READ);
    }

    /** One to four valid frames, then damage chosen by the fuzzer. */
    private static byte[] damagedFrames(FuzzedDataProvider data) {
        List<byte[]> frames = new ArrayList<>();
        int frameCount = data.consumeInt(1, 4);
        for (int i = 0; i < frameCount; i++) {
            byte[] record = data.consumeBytes(data.consumeInt(0, MAX_RECORD + 8));
            frames.add(Frames.encode(new Packet(data.consumeLong(), record)));
        }
        int total = frames.stream().mapToInt(f -> f.length).sum();
        byte[] stream = new byte[total];
        int offset = 0;
        for (byte[] frame : frames) {
            System.arraycopy(frame, 0, stream, offset, frame.length);
            offset += frame.length;
        }
        int damages = data.consumeInt(0, 3);
        for (int i = 0; i < damages && stream.length > 0; i++) {
            switch (data.consumeInt(0, 2)) {
                case 0: {
                    int bit = data.consumeInt(0, stream.length * 8 - 1);
                    stream[bit / 8] ^= (byte) (1 << (bit % 8));
                    break;
                }
                case 1:
                    stream = java.util.Arrays.copyOf(stream, data.consumeInt(0, stream.length));
                    break;
                default:
                    setLengthOfFirstFrame(stream, data.pickValue(new long[] {
                            0, 1, MAX_RECORD - 1, MAX_RECORD, MAX_RECORD + 1, Integer.MAX_VALUE, 0xFFFF_FFFFL}));
                    break;
            }
        }
        return stream;
    }

    /** Rewrites the first header's length field and fixes its CRC, so that the length itself is what is tested. */
    private static void setLengthOfFirstFrame(byte[] stream, long length) {
        if (stream.length < WireFormat.HEADER_LENGTH) {
            return;
        }
        for (int i = 0; i < 4; i++) {
            stream[WireFormat.LENGTH_OFFSET + i] = (byte) (length >>> (24 - 8 * i));
        }
        int crc = new KivalooCrc().update(stream, 0, WireFormat.HEADER_CRC_OFFSET).value();
        for (int i = 0; i < 4; i++) {
            stream[WireFormat.HEADER_CRC_OFFSET + i] = (byte) (crc >>> (8 * i));
        }
    }
}
