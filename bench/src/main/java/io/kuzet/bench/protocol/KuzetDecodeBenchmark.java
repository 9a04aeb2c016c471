package io.kuzet.bench.protocol;

import io.kuzet.protocol.DeviceMessage;
import io.kuzet.protocol.Fix;
import io.kuzet.protocol.kuzet.KuzetDecoder;
import io.kuzet.protocol.kuzet.KuzetEncoder;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.util.concurrent.TimeUnit;
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
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Decoding a whole Kuzet POSITION_BATCH frame (CRC already checked by the frame decoder) into a reused
 * {@link DeviceMessage}. Baseline: checking the frame's CRC-32C, the per-frame work the frame decoder adds.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 2, time = 2)
@Measurement(iterations = 3, time = 2)
@Fork(1)
public class KuzetDecodeBenchmark {
    @Param({"1", "32"})
    public int fixes;

    private ByteBuf frame;
    private final DeviceMessage out = new DeviceMessage();
    private final java.util.zip.CRC32C crc = new java.util.zip.CRC32C();

    @Setup
    public void encode() {
        DeviceMessage msg = new DeviceMessage();
        for (int i = 0; i < fixes; i++) {
            Fix f = msg.addFix();
            f.timeMs = 1_780_000_000_000L + i * 15_000L;
            f.latE7 = 432_380_000 + i * 10;
            f.lonE7 = 769_450_000 - i * 10;
            f.altitudeM = 850;
            f.speedKmhX10 = 42;
            f.headingDeg = 90;
            f.accuracyDm = 80;
            f.hdopX10 = 9;
            f.satellites = 10;
            f.flags = Fix.FLAG_VALID;
        }
        frame = Unpooled.directBuffer(4096);
        KuzetEncoder.writePositionBatch(frame, 7, msg);
    }

    @TearDown
    public void release() {
        frame.release();
    }

    @Benchmark
    public int decodePositionBatch() {
        KuzetDecoder.decodeData(frame, out.clear());
        return out.fixCount();
    }

    @Benchmark
    public long crcBaseline() {
        crc.reset();
        crc.update(frame.nioBuffer(frame.readerIndex(), frame.readableBytes() - 4));
        return crc.getValue();
    }
}
