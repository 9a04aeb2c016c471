package io.kuzet.bench.protocol;

import io.kuzet.protocol.DeviceMessage;
import io.kuzet.protocol.Fix;
import io.kuzet.protocol.gt06.Gt06Decoder;
import io.kuzet.protocol.gt06.Gt06Encoder;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/** Decoding a GT06 0x12 (GPS + LBS) frame on a logged-in session into a reused {@link DeviceMessage}. */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 2, time = 2)
@Measurement(iterations = 3, time = 2)
@Fork(1)
public class Gt06DecodeBenchmark {
    private ByteBuf location;
    private final Gt06Decoder decoder = new Gt06Decoder(() -> 1_780_000_000_000L);
    private final DeviceMessage out = new DeviceMessage();

    @Setup
    public void encode() {
        ByteBuf login = Unpooled.buffer();
        Gt06Encoder.writeLogin(login, 123_456_789_012_345L, 1);
        decoder.decode(login, out);
        login.release();
        Fix f = new Fix().clear();
        f.timeMs = 1_780_000_000_000L;
        f.latE7 = 432_380_000;
        f.lonE7 = 769_450_000;
        f.speedKmhX10 = 300;
        f.headingDeg = 120;
        f.satellites = 9;
        f.flags = Fix.FLAG_VALID;
        location = Unpooled.directBuffer(64);
        Gt06Encoder.writeLocation0x12(location, f, 2);
    }

    @TearDown
    public void release() {
        location.release();
    }

    @Benchmark
    public int decodeLocation0x12() {
        decoder.decode(location, out.clear());
        return out.fixCount();
    }
}
