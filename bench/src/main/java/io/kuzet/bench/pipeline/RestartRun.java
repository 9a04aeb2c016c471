package io.kuzet.bench.pipeline;

import io.kuzet.protocol.DeviceMessage;
import io.kuzet.protocol.Fix;
import io.kuzet.server.alert.AlertJournal;
import io.kuzet.server.config.ServerConfig;
import io.kuzet.server.core.AlertEmitter;
import io.kuzet.server.core.CoreMetrics;
import io.kuzet.server.core.EvaluationAgent;
import io.kuzet.server.core.GeofenceZoneStage;
import io.kuzet.server.ingest.DeviceLedger;
import io.kuzet.server.journal.IngestJournal;
import io.kuzet.server.journal.ProcessDurability;
import io.kuzet.server.journal.Protocol;
import io.kuzet.server.registry.RegistryHolder;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Restart time of the evaluation core against the journal length, with and without snapshots. Run each step in its own
 * JVM so a restart is measured cold, as after a crash:
 * <pre>
 * RestartRun generate DIR RECORDS [DEVICES=10000] [TAIL=100000]
 *     journal of RECORDS device fixes (each device one fix per 30 s of journal time, some walking into their
 *     exclusion zone) plus a clock tick per second of journal time; the core evaluates it as it is written and takes
 *     a snapshot TAIL fixes before the end (what the default 300 s snapshot interval leaves at most for 10^4 devices).
 * RestartRun restart DIR snapshot|full
 *     what KuzetServer does before the device ports open: open the ingest and alert journals, create the core, restore
 *     the newest snapshot and replay the tail (snapshot) or replay the whole journal (full), rebuild the
 *     de-duplication ledger. Prints the time from opening the journals to ready and the records replayed.
 * </pre>
 */
public final class RestartRun {
    private static final long T0 = 1_780_000_000_000L;
    private static final long FIX_PERIOD_MS = 30_000;

    private RestartRun() {
    }

    public static void main(String[] args) throws Exception {
        Path dir = Path.of(args[1]);
        if (args[0].equals("generate")) {
            generate(dir, Long.parseLong(args[2]), args.length > 3 ? Integer.parseInt(args[3]) : 10_000,
                    args.length > 4 ? Long.parseLong(args[4]) : 100_000);
        } else {
            restart(dir, args[2].equals("snapshot"));
        }
    }

    private static ServerConfig.Core config() {
        ServerConfig.Core config = new ServerConfig.Core();
        config.snapshotIntervalS = Integer.MAX_VALUE / 2;    // snapshots only where this tool takes them
        return config;
    }

    private static void generate(Path dir, long records, int devices, long tail) throws Exception {
        Files.createDirectories(dir);
        java.lang.management.ThreadMXBean threads = java.lang.management.ManagementFactory.getThreadMXBean();
        long startCpu = threads.getCurrentThreadCpuTime();
        long start = System.nanoTime();
        try (IngestJournal journal = new IngestJournal(dir.resolve("journal"), ProcessDurability.FACTORY);
             AlertJournal alerts = new AlertJournal(dir.resolve("alerts"))) {
            CoreMetrics metrics = new CoreMetrics(new SimpleMeterRegistry(), () -> 0);
            EvaluationAgent core = new EvaluationAgent(journal, new RegistryHolder(PipelineFleet.registry(devices)), config(),
                    new AlertEmitter(alerts, metrics), GeofenceZoneStage.FACTORY, metrics).withSnapshots(dir.resolve("snapshots"));
            DeviceMessage msg = new DeviceMessage();
            Fix f = msg.addFix();
            f.accuracyDm = 60;
            f.satellites = 9;
            f.flags = Fix.FLAG_VALID;
            long ticks = 0;
            for (long i = 0; i < records; i++) {
                int d = (int) (i % devices);
                long round = i / devices;
                long timeMs = T0 + round * FIX_PERIOD_MS + (FIX_PERIOD_MS * d) / devices;
                while (T0 + ticks * 1000 <= timeMs) {
                    journal.appendTick(T0 + ticks * 1000);
                    ticks++;
                }
                boolean inside = d % 100 == 0 && (round % 50) >= 20 && (round % 50) < 25;
                f.timeMs = timeMs;
                f.latE7 = (int) Math.round((PipelineFleet.homeLat(d) + (inside ? 0.0005 : 0.02)) * 1e7);
                f.lonE7 = (int) Math.round(PipelineFleet.homeLon(d) * 1e7);
                msg.deviceId = 700_000_000L + d;
                msg.sequence = round + 1;
                journal.appendDeviceMessage(timeMs, 0, d + 1, Protocol.KUZET.code(), msg);
                if ((i & 4095) == 4095 && i < records - tail) {
                    while (core.doWork(8192) > 0) {
                        // evaluate as it is written, as the live core does
                    }
                }
                if (i == records - tail - 1) {
                    while (core.doWork(8192) > 0) {
                        // up to here
                    }
                    core.snapshot().join();
                }
            }
            System.out.printf("generated %d fixes + %d ticks for %d devices (%.1f days of journal time) in %.0f s; snapshot %d fixes before the end%n",
                    records, ticks, devices, ticks / 86_400.0, (System.nanoTime() - start) / 1e9, tail);
            core.close(); // the tail stays unevaluated: a crash right after it was journaled
        }
    }

    private static void restart(Path dir, boolean snapshots) throws Exception {
        int devices = Integer.getInteger("devices", 10_000);
        RegistryHolder registry = new RegistryHolder(PipelineFleet.registry(devices)); // from the database in the server
        java.lang.management.ThreadMXBean threads = java.lang.management.ManagementFactory.getThreadMXBean();
        long startCpu = threads.getCurrentThreadCpuTime();
        long start = System.nanoTime();
        try (IngestJournal journal = new IngestJournal(dir.resolve("journal"), ProcessDurability.FACTORY);
             AlertJournal alerts = new AlertJournal(dir.resolve("alerts"))) {
            CoreMetrics metrics = new CoreMetrics(new SimpleMeterRegistry(), () -> 0);
            EvaluationAgent core = new EvaluationAgent(journal, registry, config(),
                    new AlertEmitter(alerts, metrics), GeofenceZoneStage.FACTORY, metrics);
            if (snapshots) {
                // a copy, so the snapshot written after this replay does not change what the next run measures
                Path copy = Files.createTempDirectory(dir, "snapshots-run");
                try (var files = Files.list(dir.resolve("snapshots"))) {
                    for (Path file : files.toList()) {
                        Files.copy(file, copy.resolve(file.getFileName()));
                    }
                }
                core.withSnapshots(copy);
            }
            long beforeReplay = System.nanoTime();
            long replayed = core.replay();
            long afterReplay = System.nanoTime();
            DeviceLedger ledger = new DeviceLedger();
            core.ledger().copyInto(ledger);
            ledger.rebuildAfter(journal, core.lastProcessedIndex());
            long end = System.nanoTime();
            System.out.printf("restart %s: ready in %.2f s wall, %.2f s CPU of the starting thread (open %.2f s, restore+replay incl. building %d rule sets %.2f s, ledger %.2f s),"
                            + " %d journal records replayed, ledger %d devices%n",
                    snapshots ? "from snapshot" : "full replay", (end - start) / 1e9,
                    (threads.getCurrentThreadCpuTime() - startCpu) / 1e9, (beforeReplay - start) / 1e9, devices,
                    (afterReplay - beforeReplay) / 1e9, (end - afterReplay) / 1e9, replayed, core.ledger().size());
            if (snapshots) {
                for (int i = 1; i <= 5; i++) {
                    long encodeStart = System.nanoTime();
                    long encodeCpu = threads.getCurrentThreadCpuTime();
                    core.snapshot().join(); // the core thread spends the encoding; the file is written on the snapshot thread
                    System.out.printf("snapshot %d of %d devices: %.1f ms wall, %.1f ms CPU on the core thread%n", i, devices,
                            (System.nanoTime() - encodeStart) / 1e6, (threads.getCurrentThreadCpuTime() - encodeCpu) / 1e6);
                }
            }
            System.exit(0);  // measured; do not write a new snapshot at close, so the next run measures the same thing
        }
    }
}
