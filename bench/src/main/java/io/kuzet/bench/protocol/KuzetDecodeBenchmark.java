package io.kuzet.bench.protocol;

import io.kuzet.protocol.DeviceMessage;
import io.kuzet.protocol.Fix;
import io.kuzet.protocol.kuzet.KuzetDecoder;
import io.kuzet.protocol.kuzet.KuzetEncoder;
import io.kuzet.protocol.kuzet.KuzetFrame;
import io.kuzet.protocol.kuzet.KuzetFrameMac;
import io.kuzet.protocol.kuzet.SipHash24;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.security.GeneralSecurityException;
import java.util.concurrent.TimeUnit;
import javax.crypto.Mac;
import javax.crypto.ShortBufferException;
import javax.crypto.spec.SecretKeySpec;
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
 * MAC on ({@code verifyTagAndDecodePositionBatch}): the same frame tagged (docs/protocol.md §3.2), its SipHash-2-4 tag
 * verified as the server's {@link KuzetFrameMac#open} does, then decoded. Beside it, the truncated HMAC-SHA256 of the
 * same bytes ({@code hmacSha256Baseline}, javax.crypto {@link Mac} reused, output into a preallocated array): the
 * construction SipHash was chosen over.
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
    private ByteBuf tagged;
    private int macLength;
    private long k0;
    private long k1;
    private byte[] taggedBytes;
    private Mac hmac;
    private final byte[] hmacOut = new byte[32];

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

        byte[] sessionKey = new byte[32];
        for (int i = 0; i < 32; i++) {
            sessionKey[i] = (byte) (31 * i + 5);
        }
        tagged = Unpooled.directBuffer(4096);
        KuzetEncoder.writePositionBatch(tagged, 7, msg);
        KuzetFrameMac.forDevice(sessionKey).seal(tagged, 0);   // device -> server frame 0 of the session
        macLength = KuzetFrame.HEADER_LENGTH + KuzetDecoder.payloadLength(tagged);
        k0 = SipHash24.littleEndian(sessionKey, 0);
        k1 = SipHash24.littleEndian(sessionKey, 8);
        taggedBytes = new byte[macLength];
        tagged.getBytes(0, taggedBytes);
        try {
            hmac = Mac.getInstance("HmacSHA256");
            hmac.init(new SecretKeySpec(sessionKey, "HmacSHA256"));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    @TearDown
    public void release() {
        frame.release();
        tagged.release();
    }

    @Benchmark
    public int verifyTagAndDecodePositionBatch() {
        // KuzetFrameMac.open without moving the counter, so the same frame verifies on every invocation
        if (KuzetFrameMac.tag(k0, k1, 0, tagged, 0, macLength) != tagged.getLongLE(macLength)) {
            throw new IllegalStateException("tag does not verify");
        }
        KuzetDecoder.decodeData(tagged, out.clear());
        return out.fixCount();
    }

    @Benchmark
    public long sipHashTagOnly() {
        return KuzetFrameMac.tag(k0, k1, 0, tagged, 0, macLength);
    }

    @Benchmark
    public byte hmacSha256Baseline() throws ShortBufferException {
        hmac.update(taggedBytes, 0, macLength);
        hmac.doFinal(hmacOut, 0);
        return hmacOut[0];
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
