package io.kuzet.bench.protocol;

import io.kuzet.protocol.DeviceMessage;
import io.kuzet.protocol.Fix;
import io.kuzet.protocol.watch.WatchDecoder;
import io.kuzet.protocol.watch.WatchEncoder;
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

/** Decoding a Watch/3G {@code UD} location frame (ASCII) into a reused {@link DeviceMessage}. */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 2, time = 2)
@Measurement(iterations = 3, time = 2)
@Fork(1)
public class WatchDecodeBenchmark {
    private ByteBuf location;
    private final WatchDecoder decoder = new WatchDecoder(() -> 1_780_000_000_000L);
    private final DeviceMessage out = new DeviceMessage();

    @Setup
    public void encode() {
        Fix f = new Fix().clear();
        f.timeMs = 1_780_000_000_000L;
        f.latE7 = 432_380_000;
        f.lonE7 = 769_450_000;
        f.speedKmhX10 = 50;
        f.headingDeg = 180;
        f.satellites = 8;
        f.flags = Fix.FLAG_VALID;
        location = Unpooled.directBuffer(512);
        WatchEncoder.writeLocation(location, "3G", 1_234_567_890L, f, false, 0);
    }

    @TearDown
    public void release() {
        location.release();
    }

    @Benchmark
    public int decodeUd() {
        decoder.decode(location, out.clear());
        return out.fixCount();
    }
}
