package io.kuzet.bench.journal;

import io.kuzet.protocol.DeviceMessage;
import io.kuzet.protocol.Fix;
import io.kuzet.server.journal.FsyncGroupCommit;
import io.kuzet.server.journal.IngestJournal;
import io.kuzet.server.journal.ProcessDurability;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.HdrHistogram.Histogram;

/**
 * Append latency of the ingest journal at a fixed rate, as HdrHistogram percentiles (coordinated-omission corrected
 * against the intended send time). Mode {@code process}: time of the append; mode {@code fsync}: append to durable
 * (group-commit callback).
 *
 * <pre>java [chronicle flags] -cp bench/target/kuzet-benchmarks.jar io.kuzet.bench.journal.JournalLatencyRun process 200000 2000000</pre>
 * args: mode, messages per second, total messages.
 */
public final class JournalLatencyRun {
    private JournalLatencyRun() {
    }

    public static void main(String[] args) throws Exception {
        String mode = args.length > 0 ? args[0] : "process";
        long rate = args.length > 1 ? Long.parseLong(args[1]) : 200_000;
        int total = args.length > 2 ? Integer.parseInt(args[2]) : 2_000_000;
        Path dir = Files.createTempDirectory("kuzet-journal-latency");
        Histogram histogram = new Histogram(TimeUnit.SECONDS.toNanos(10), 3);
        Histogram service = new Histogram(TimeUnit.SECONDS.toNanos(10), 3);
        DeviceMessage msg = new DeviceMessage();
        Fix f = msg.addFix();
        f.timeMs = 1_780_000_000_000L;
        f.latE7 = 432_380_000;
        f.lonE7 = 769_450_000;
        f.flags = Fix.FLAG_VALID;
        boolean fsync = mode.equals("fsync");
        try (IngestJournal journal = new IngestJournal(dir, fsync ? FsyncGroupCommit.factory(2) : ProcessDurability.FACTORY)) {
            CountDownLatch done = new CountDownLatch(total);
            long intervalNs = TimeUnit.SECONDS.toNanos(1) / rate;
            long start = System.nanoTime();
            for (int i = 0; i < total; i++) {
                long intended = start + i * intervalNs;
                while (System.nanoTime() < intended) {
                    Thread.onSpinWait();
                }
                msg.sequence = i;
                long begin = System.nanoTime();
                long index = journal.appendDeviceMessage(f.timeMs, intended, 1000, 1, msg);
                service.recordValue(System.nanoTime() - begin);
                if (fsync) {
                    journal.durability().whenDurable(index, () -> {
                        histogram.recordValue(System.nanoTime() - intended);
                        done.countDown();
                    });
                } else {
                    histogram.recordValue(System.nanoTime() - intended);
                    done.countDown();
                }
            }
            done.await(60, TimeUnit.SECONDS);
            double seconds = (System.nanoTime() - start) / 1e9;
            System.out.printf("mode=%s rate=%d/s messages=%d elapsed=%.2fs achieved=%.0f/s%n", mode, rate, total, seconds, total / seconds);
            System.out.printf("append service time us: p50=%.2f p99=%.2f p99.9=%.2f max=%.2f%n",
                    service.getValueAtPercentile(50) / 1e3, service.getValueAtPercentile(99) / 1e3,
                    service.getValueAtPercentile(99.9) / 1e3, service.getMaxValue() / 1e3);
            System.out.printf("intended-send-to-durable us (corrected for coordinated omission): p50=%.2f p99=%.2f p99.9=%.2f max=%.2f%n",
                    histogram.getValueAtPercentile(50) / 1e3, histogram.getValueAtPercentile(99) / 1e3,
                    histogram.getValueAtPercentile(99.9) / 1e3, histogram.getMaxValue() / 1e3);
            if (fsync) {
                FsyncGroupCommit commit = (FsyncGroupCommit) journal.durability();
                System.out.printf("fsync groups=%d mean force=%.1f us%n", commit.forces(),
                        commit.forceNanosTotal() / 1e3 / Math.max(1, commit.forces()));
            }
        }
        LockSupport.parkNanos(1);
    }
}
