package io.kuzet.bench.journal;

import io.kuzet.protocol.DeviceMessage;
import io.kuzet.protocol.Fix;
import io.kuzet.server.journal.IngestJournal;
import io.kuzet.server.journal.ProcessDurability;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
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
 * Throughput of appending one device message (1 fix, or a 32-fix batch) to the ingest journal in {@code process}
 * durability (the mmap write; no fsync). Baseline: appending a clock tick, the smallest record.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 2, time = 2)
@Measurement(iterations = 3, time = 2)
@Fork(value = 1, jvmArgsAppend = {
        "-Dchronicle.analytics.disable=true", "-Dchronicle.announcer.disable=true",
        "--add-exports=java.base/jdk.internal.ref=ALL-UNNAMED", "--add-exports=java.base/sun.nio.ch=ALL-UNNAMED",
        "--add-exports=jdk.unsupported/sun.misc=ALL-UNNAMED", "--add-exports=java.base/jdk.internal.util=ALL-UNNAMED",
        "--add-opens=java.base/java.lang=ALL-UNNAMED", "--add-opens=java.base/java.lang.reflect=ALL-UNNAMED",
        "--add-opens=java.base/java.io=ALL-UNNAMED", "--add-opens=java.base/java.util=ALL-UNNAMED",
        "--add-opens=java.base/java.nio=ALL-UNNAMED", "--add-opens=java.base/sun.nio.ch=ALL-UNNAMED"})
public class JournalAppendBenchmark {
    @Param({"1", "32"})
    public int fixes;

    private Path dir;
    private IngestJournal journal;
    private final DeviceMessage message = new DeviceMessage();
    private long time = 1_780_000_000_000L;

    @Setup(Level.Trial)
    public void open() throws IOException {
        dir = Files.createTempDirectory("kuzet-journal-bench");
        journal = new IngestJournal(dir, ProcessDurability.FACTORY);
        message.deviceId = 700_000_001L;
        for (int i = 0; i < fixes; i++) {
            Fix f = message.addFix();
            f.timeMs = time + i * 1000L;
            f.latE7 = 432_380_000 + i;
            f.lonE7 = 769_450_000;
            f.accuracyDm = 80;
            f.satellites = 9;
            f.flags = Fix.FLAG_VALID;
        }
    }

    @TearDown(Level.Trial)
    public void close() throws IOException {
        journal.close();
        try (Stream<Path> files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }

    @Benchmark
    public long appendDeviceMessage() {
        message.sequence++;
        return journal.appendDeviceMessage(time, 0, 1000, 1, message);
    }

    @Benchmark
    public long appendTickBaseline() {
        return journal.appendTick(++time);
    }
}
