package io.kivaloo.bench.jmh;

import io.kivaloo.proto.wire.FrameDecoder;
import io.kivaloo.proto.wire.FrameEncoder;
import io.kivaloo.proto.wire.Packet;
import io.kivaloo.proto.wire.WireFormat;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;

import java.util.Random;
import java.util.concurrent.TimeUnit;

/**
 * proto's framing: FrameEncoder.encode of one packet into a reused buffer, and
 * FrameDecoder splitting a buffer of {@value #BATCH} back-to-back packets (the
 * shape of a pipelined read) through an EmbeddedChannel. Record sizes: a GET
 * response (44 bytes), a SET request (88 bytes), an lbs block (4 KiB).
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class FrameCodecBenchmark {

    static final int BATCH = 64;

    @Param({"44", "88", "4096"})
    int recordLength;

    private final FrameEncoder encoder = new FrameEncoder();
    private Packet packet;
    private ByteBuf encodeBuffer;
    private byte[] framedBatch;
    private EmbeddedChannel decoderChannel;

    @Setup
    public void setUp() {
        byte[] record = new byte[recordLength];
        new Random(42).nextBytes(record);
        packet = new Packet(123456789L, record);
        encodeBuffer = Unpooled.buffer(recordLength + WireFormat.OVERHEAD);
        ByteBuf batch = Unpooled.buffer(BATCH * (recordLength + WireFormat.OVERHEAD));
        for (int i = 0; i < BATCH; i++) {
            encoder.encode(new Packet(i, record), batch);
        }
        framedBatch = new byte[batch.readableBytes()];
        batch.readBytes(framedBatch);
        batch.release();
        decoderChannel = new EmbeddedChannel(new FrameDecoder(WireFormat.DEFAULT_MAX_RECORD_LENGTH));
    }

    @TearDown
    public void tearDown() {
        encodeBuffer.release();
        decoderChannel.finishAndReleaseAll();
    }

    @Benchmark
    public int encode() {
        encodeBuffer.clear();
        encoder.encode(packet, encodeBuffer);
        return encodeBuffer.writerIndex();
    }

    @Benchmark
    @OperationsPerInvocation(BATCH)
    public void decode(Blackhole blackhole) {
        decoderChannel.writeInbound(Unpooled.wrappedBuffer(framedBatch));
        for (Object p = decoderChannel.readInbound(); p != null; p = decoderChannel.readInbound()) {
            blackhole.consume(p);
        }
    }
}
