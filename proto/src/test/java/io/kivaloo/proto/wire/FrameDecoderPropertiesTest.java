package io.kivaloo.proto.wire;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.From;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;

import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.TreeSet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertFalse;

/**
 * Properties of the framing over generated packets and streams. What the
 * decoder guarantees, precisely:
 * <ul>
 *   <li>every packet it delivers is exactly one that was encoded, in order;</li>
 *   <li>a single flipped bit anywhere in a packet (ID, length, header CRC,
 *       record, trailer) is always detected as a {@link ProtocolException},
 *       and neither that packet nor anything after it is delivered. A flip in
 *       the length field never shows as "incomplete": the header CRC, which
 *       covers the length, is checked before the length is used;</li>
 *   <li>a truncated packet is never delivered and is not an error (more
 *       bytes may still come);</li>
 *   <li>on arbitrary input it throws nothing but {@link ProtocolException},
 *       at most once, and whatever it delivers re-encodes to a prefix of the
 *       input: no packet whose CRCs do not check is ever delivered.</li>
 * </ul>
 * Streams are fed split at generated positions, so every property also holds
 * for any way the bytes arrive.
 */
class FrameDecoderPropertiesTest {

    private static final int MAX = WireFormat.DEFAULT_MAX_RECORD_LENGTH;

    @Provide
    Arbitrary<Packet> packets() {
        Arbitrary<Long> ids = Arbitraries.oneOf(Arbitraries.longs(), Arbitraries.of(0L, 1L, -1L, Long.MIN_VALUE));
        Arbitrary<byte[]> records = Arbitraries.bytes().array(byte[].class).ofMaxSize(300);
        return Combinators.combine(ids, records).as(Packet::new);
    }

    @Property(tries = 300)
    void packetsSurviveTheRoundTripHoweverTheStreamIsSplit(@ForAll @Size(max = 8) List<@From("packets") Packet> sent,
                                                          @ForAll @Size(max = 6) List<@IntRange(max = 3000) Integer> cuts,
                                                          @ForAll boolean filledInPlace) {
        byte[] stream = concat(sent);
        DecoderProbe probe = probe(filledInPlace);
        feedSplit(probe, stream, cuts);
        assertThat(probe.errors).isEmpty();
        assertThat(probe.strays).isEmpty();
        assertThat(probe.packets).hasSize(sent.size());
        for (int i = 0; i < sent.size(); i++) {
            assertThat(probe.packets.get(i).id()).isEqualTo(sent.get(i).id());
            assertThat(probe.packets.get(i).record()).isEqualTo(sent.get(i).record());
        }
        assertFalse(probe.finish());
    }

    @Property(tries = 2000)
    void anySingleFlippedBitIsDetectedAndNothingFromThereOnIsDelivered(
            @ForAll("packets") Packet before, @ForAll("packets") Packet damaged, @ForAll("packets") Packet after,
            @ForAll @IntRange(min = 0, max = Integer.MAX_VALUE) int bitChoice,
            @ForAll @Size(max = 4) List<@IntRange(max = 1000) Integer> cuts, @ForAll boolean filledInPlace) {
        byte[] first = Frames.encode(before);
        byte[] middle = Frames.encode(damaged);
        int bit = bitChoice % (middle.length * 8);
        middle[bit / 8] ^= (byte) (1 << (bit % 8));
        byte[] stream = concat(first, middle, Frames.encode(after));

        DecoderProbe probe = probe(filledInPlace);
        feedSplit(probe, stream, cuts);

        assertThat(probe.packets).as("delivered").hasSize(1);
        assertThat(probe.packets.get(0).id()).isEqualTo(before.id());
        assertThat(probe.packets.get(0).record()).isEqualTo(before.record());
        assertThat(probe.errors).as("flipped bit %d of %d", bit, middle.length * 8)
                .singleElement().isInstanceOf(ProtocolException.class);
        assertThat(probe.decoder.isFailed()).isTrue();
        assertFalse(probe.finish());
    }

    @Property(tries = 500)
    void anyTruncationYieldsNoPacket(@ForAll("packets") Packet packet,
                                     @ForAll @IntRange(min = 0, max = Integer.MAX_VALUE) int cutChoice,
                                     @ForAll @Size(max = 3) List<@IntRange(max = 400) Integer> cuts,
                                     @ForAll boolean filledInPlace) {
        byte[] bytes = Frames.encode(packet);
        byte[] truncated = Arrays.copyOf(bytes, cutChoice % bytes.length);
        DecoderProbe probe = probe(filledInPlace);
        feedSplit(probe, truncated, cuts);
        assertThat(probe.packets).isEmpty();
        assertThat(probe.errors).isEmpty();
        assertFalse(probe.finish()); // end of stream mid-packet: nothing, and no exception either
        assertThat(probe.errors).isEmpty();
    }

    @Property(tries = 1000)
    void randomBytesNeverThrowAndNeverDeliverAPacketWhoseCrcsDoNotCheck(
            @ForAll @Size(max = 2000) byte[] noise,
            @ForAll @IntRange(min = 0, max = MAX) int maxRecordLength,
            @ForAll @Size(max = 6) List<@IntRange(max = 2000) Integer> cuts) {
        checkArbitraryStream(noise, maxRecordLength, cuts);
    }

    @Property(tries = 1000)
    void validPacketsMixedWithNoiseDeliverOnlyWhatWasSent(
            @ForAll @Size(max = 6) List<@From("segments") byte[]> segments,
            @ForAll @Size(max = 6) List<@IntRange(max = 3000) Integer> cuts) {
        checkArbitraryStream(concat(segments.toArray(new byte[0][])), MAX, cuts);
    }

    /** Stream pieces: mostly valid packets, some random garbage, some packets with a few random bytes overwritten. */
    @Provide
    Arbitrary<byte[]> segments() {
        Arbitrary<byte[]> valid = packets().map(Frames::encode);
        Arbitrary<byte[]> noise = Arbitraries.bytes().array(byte[].class).ofMinSize(1).ofMaxSize(40);
        Arbitrary<byte[]> damaged = Combinators.combine(valid, Arbitraries.integers().between(0, Integer.MAX_VALUE),
                Arbitraries.bytes()).as((bytes, position, value) -> {
                    byte[] copy = bytes.clone();
                    copy[position % copy.length] = value;
                    return copy;
                });
        return Arbitraries.frequencyOf(
                net.jqwik.api.Tuple.of(6, valid), net.jqwik.api.Tuple.of(1, noise), net.jqwik.api.Tuple.of(1, damaged));
    }

    /** A decoder that fills every record not yet whole in place (the path large APPENDs take), or the default one. */
    private static DecoderProbe probe(boolean filledInPlace) {
        return new DecoderProbe(MAX, null, filledInPlace ? 0 : FrameDecoder.STREAM_FROM);
    }

    private static void checkArbitraryStream(byte[] stream, int maxRecordLength, List<Integer> cuts) {
        DecoderProbe probe = new DecoderProbe(maxRecordLength);
        feedSplit(probe, stream, cuts);
        probe.finish();
        assertThat(probe.strays).isEmpty();
        assertThat(probe.errors).hasSizeLessThanOrEqualTo(1).allSatisfy(e -> assertThat(e).isInstanceOf(ProtocolException.class));
        // Everything delivered is a checked packet taken from the front of the stream, in order.
        byte[] delivered = concat(probe.packets);
        assertThat(delivered.length).isLessThanOrEqualTo(stream.length);
        assertThat(Arrays.copyOf(stream, delivered.length)).isEqualTo(delivered);
        for (Packet p : probe.packets) {
            assertThat(p.record().length).isLessThanOrEqualTo(maxRecordLength);
        }
    }

    /** Feeds {@code stream} in pieces cut at {@code cuts} (clamped to the stream, in order). */
    private static void feedSplit(DecoderProbe probe, byte[] stream, List<Integer> cuts) {
        TreeSet<Integer> positions = new TreeSet<>();
        for (int cut : cuts) {
            positions.add(Math.min(cut, stream.length));
        }
        positions.add(stream.length);
        int from = 0;
        for (int to : positions) {
            probe.feed(stream, from, to);
            from = to;
        }
    }

    private static byte[] concat(List<Packet> packets) {
        List<byte[]> parts = new ArrayList<>();
        for (Packet p : packets) {
            parts.add(Frames.encode(p));
        }
        return concat(parts.toArray(new byte[0][]));
    }

    private static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] part : parts) {
            out.writeBytes(part);
        }
        return out.toByteArray();
    }
}
