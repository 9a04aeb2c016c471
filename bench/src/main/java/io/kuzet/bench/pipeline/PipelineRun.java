package io.kuzet.bench.pipeline;

import io.kuzet.protocol.DeviceMessage;
import io.kuzet.protocol.Fix;
import io.kuzet.protocol.kuzet.KuzetDecoder;
import io.kuzet.protocol.kuzet.KuzetEncoder;
import io.kuzet.server.alert.Alert;
import io.kuzet.server.alert.AlertJournal;
import io.kuzet.server.config.ServerConfig;
import io.kuzet.server.core.AlertEmitter;
import io.kuzet.server.core.CoreMetrics;
import io.kuzet.server.core.EvaluationAgent;
import io.kuzet.server.core.GeofenceZoneStage;
import io.kuzet.server.ingest.DeviceIngestState;
import io.kuzet.server.ingest.DeviceLedger;
import io.kuzet.server.ingest.IngestService;
import io.kuzet.server.journal.IngestJournal;
import io.kuzet.server.journal.ProcessDurability;
import io.kuzet.server.journal.Protocol;
import io.kuzet.server.metrics.IngestMetrics;
import io.kuzet.server.registry.RegistryHolder;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.HdrHistogram.Histogram;

/**
 * The in-process pipeline without the network: whole Kuzet frames in → decode → de-duplicate → journal → evaluate
 * (two zone rules per fix) → alerts out.
 *
 * <ul>
 *   <li>{@code throughput}: one thread does everything in turn, so fixes/s is "on one core".</li>
 *   <li>{@code latency RATE}: a producer thread decodes and journals at RATE fixes/s while the core runs on its own
 *       thread; reports frame-decoded → alert-emitted percentiles for the fixes that open violations.</li>
 * </ul>
 * <pre>java [chronicle flags] -cp bench/target/kuzet-benchmarks.jar io.kuzet.bench.pipeline.PipelineRun throughput 2000000</pre>
 */
public final class PipelineRun {
    private static final int DEVICES = 1000;
    private static final long T0 = 1_780_000_000_000L;

    private PipelineRun() {
    }

    public static void main(String[] args) throws Exception {
        String mode = args.length > 0 ? args[0] : "throughput";
        long arg = args.length > 1 ? Long.parseLong(args[1]) : 1_000_000;
        Path dir = Files.createTempDirectory("kuzet-pipeline");
        SimpleMeterRegistry meters = new SimpleMeterRegistry();
        try (IngestJournal journal = new IngestJournal(dir.resolve("journal"), ProcessDurability.FACTORY);
             AlertJournal alertJournal = new AlertJournal(dir.resolve("alerts"))) {
            CoreMetrics coreMetrics = new CoreMetrics(meters, () -> 0);
            AlertEmitter emitter = new AlertEmitter(alertJournal, coreMetrics);
            Histogram latency = new Histogram(TimeUnit.SECONDS.toNanos(10), 3);
            long total = mode.equals("throughput") ? arg : arg * 20;   // latency mode runs 20 s
            long[] decodedNanosByFix = new long[(int) Math.min(total, 50_000_000)];
            long[] alerts = new long[1];
            boolean measureLatency = !mode.equals("throughput");
            emitter.addListener(alert -> {
                if (alert.phase() == Alert.Phase.RAISED) {
                    alerts[0]++;
                    int fixIndex = (int) ((alert.fixTimeMs() - T0) / 10);
                    if (measureLatency && fixIndex >= 0 && fixIndex < decodedNanosByFix.length && decodedNanosByFix[fixIndex] != 0) {
                        latency.recordValue(System.nanoTime() - decodedNanosByFix[fixIndex]);
                    }
                }
            });
            EvaluationAgent core = new EvaluationAgent(journal, new RegistryHolder(PipelineFleet.registry(DEVICES)),
                    new ServerConfig.Core(), emitter, GeofenceZoneStage.FACTORY, coreMetrics);
            IngestService ingest = new IngestService(journal, new IngestMetrics(meters));
            DeviceLedger ledger = new DeviceLedger();
            DeviceIngestState[] states = new DeviceIngestState[DEVICES];
            for (int d = 0; d < DEVICES; d++) {
                states[d] = ledger.stateFor(d + 1);
            }
            // one pre-encoded frame per device and phase; sequence and fix time are patched per send
            ByteBuf frame = Unpooled.directBuffer(256);
            DeviceMessage template = new DeviceMessage();
            Fix f = template.addFix();
            f.accuracyDm = 60;
            f.satellites = 9;
            f.flags = Fix.FLAG_VALID;
            DeviceMessage decoded = new DeviceMessage();
            long rate = mode.equals("throughput") ? 0 : arg;
            if (rate > 0) {
                core.start();
            }
            long warmupFixes = rate * 5;                   // latency is recorded after 5 s, once the JIT has settled
            long start = System.nanoTime();
            for (long i = 0; i < total; i++) {
                int d = (int) (i % DEVICES);
                long round = i / DEVICES;
                // every 50th round, devices 0..9 walk into their victim's zone for 5 rounds, then leave
                boolean inside = d < 10 && (round % 50) >= 20 && (round % 50) < 25;
                f.timeMs = T0 + i * 10;
                f.latE7 = (int) Math.round((PipelineFleet.homeLat(d) + (inside ? 0.0005 : 0.02)) * 1e7);
                f.lonE7 = (int) Math.round(PipelineFleet.homeLon(d) * 1e7);
                frame.clear();
                KuzetEncoder.writePositionBatch(frame, round + 1, template);
                if (rate > 0) {
                    long intended = start + i * (1_000_000_000L / rate);
                    while (System.nanoTime() < intended) {
                        Thread.onSpinWait();
                    }
                }
                decoded.deviceId = 700_000_000L + d;
                KuzetDecoder.decodeData(frame, decoded);
                if (i < decodedNanosByFix.length && i >= warmupFixes) {
                    decodedNanosByFix[(int) i] = System.nanoTime();
                }
                ingest.accept(states[d], Protocol.KUZET, decoded, f.timeMs, 0);
                if (rate == 0 && (i & 1023) == 1023) {
                    while (core.doWork(4096) > 0) {
                        // evaluate what was journaled on this same thread
                    }
                }
            }
            if (rate == 0) {
                while (core.doWork(4096) > 0) {
                    // drain
                }
            } else {
                while (core.lagEntries() > 0) {
                    Thread.onSpinWait();
                }
                core.close();
            }
            double seconds = (System.nanoTime() - start) / 1e9;
            System.out.printf("mode=%s fixes=%d devices=%d rules/fix=2 elapsed=%.2fs throughput=%.0f fixes/s alerts raised=%d%n",
                    mode, total, DEVICES, seconds, total / seconds, alerts[0]);
            if (latency.getTotalCount() > 0) {
                System.out.printf("frame decoded -> alert emitted (us): n=%d p50=%.1f p99=%.1f p99.9=%.1f max=%.1f%n",
                        latency.getTotalCount(), latency.getValueAtPercentile(50) / 1e3, latency.getValueAtPercentile(99) / 1e3,
                        latency.getValueAtPercentile(99.9) / 1e3, latency.getMaxValue() / 1e3);
            }
            frame.release();
        }
    }
}
