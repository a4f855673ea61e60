package io.kivaloo.bench.jmh;

import io.kivaloo.proto.wire.KivalooCrc;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

import java.util.Random;
import java.util.concurrent.TimeUnit;

/**
 * KivalooCrc (CRC-32C with kivaloo's start value, through the JDK's intrinsic)
 * over a packet header (12 bytes), a SET record (88 bytes) and an lbs block (4 KiB).
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class KivalooCrcBenchmark {

    @Param({"12", "88", "4096"})
    int length;

    private byte[] data;
    private final KivalooCrc crc = new KivalooCrc();

    @Setup
    public void setUp() {
        data = new byte[length];
        new Random(42).nextBytes(data);
    }

    @Benchmark
    public int crc() {
        return crc.reset().update(data, 0, data.length).value();
    }
}
