package io.kuzet.server.core;

import static io.kuzet.server.testing.Fixes.addFix;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kuzet.protocol.DeviceMessage;
import io.kuzet.server.alert.Alert;
import io.kuzet.server.alert.AlertJournal;
import io.kuzet.server.alert.AlertType;
import io.kuzet.server.config.ServerConfig;
import io.kuzet.server.ingest.DeviceLedger;
import io.kuzet.server.journal.IngestJournal;
import io.kuzet.server.journal.JournalRetention;
import io.kuzet.server.journal.ProcessDurability;
import io.kuzet.server.journal.Protocol;
import io.kuzet.server.registry.RegistryHolder;
import io.kuzet.server.testing.TestClock;
import io.kuzet.server.testing.TestFleet;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import net.openhft.chronicle.core.time.TimeProvider;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Restart from a snapshot of the core: the state survives journal retention, only the tail is replayed, a damaged
 * snapshot falls back to the previous one, and the alert de-duplication memory stays bounded. Journal time and the
 * journal's daily files follow a {@link TestClock}; the core is driven with {@code doWork}, nothing sleeps.
 */
class CoreSnapshotTest {
    private static final long DAY = 86_400_000L;
    private static final long T0 = 1_780_000_000_000L;     // 2026-05-28T20:26:40Z

    @TempDir
    Path dir;
    final TestClock clock = new TestClock(T0);
    final ServerConfig.Core config = new ServerConfig.Core();
    IngestJournal journal;
    AlertJournal alertJournal;
    EvaluationAgent core;
    long sequence;

    CoreSnapshotTest() {
        config.snapshotIntervalS = 30 * 86_400;            // snapshots taken by the test, except where it says otherwise
    }

    private void start() {
        journal = new IngestJournal(dir.resolve("journal"), ProcessDurability.FACTORY, new ClockTime(clock));
        alertJournal = new AlertJournal(dir.resolve("alerts"));
        CoreMetrics metrics = new CoreMetrics(new SimpleMeterRegistry(), () -> 0);
        core = new EvaluationAgent(journal, new RegistryHolder(TestFleet.registry(600)), config,
                new AlertEmitter(alertJournal, metrics), GeofenceZoneStage.FACTORY, metrics)
                .withSnapshots(dir.resolve("snapshots"));
    }

    private void stop() {
        core.close();
        alertJournal.close();
        journal.close();
        core = null;
    }

    @AfterEach
    void close() {
        if (core != null) {
            stop();
        }
    }

    /** A fix {@code metres} north of the exclusion zone's centre (radius 200 m), received now; the clock moves 30 s. */
    private void fix(double metres) {
        long now = clock.advance(30_000);
        DeviceMessage msg = new DeviceMessage();
        msg.deviceId = TestFleet.KUZET_NUMBER;
        msg.sequence = ++sequence;
        addFix(msg, now, TestFleet.latNorthOfCentre(metres), TestFleet.ZONE_LON, 8);
        journal.appendDeviceMessage(now, 0, TestFleet.KUZET_DEVICE, Protocol.KUZET.code(), msg);
    }

    private void fixes(int n, double metres) {
        for (int i = 0; i < n; i++) {
            fix(metres);
        }
    }

    private void drain() {
        while (core.doWork(1000) > 0) {
            // until the journal is consumed
        }
    }

    private List<Alert> alertsInJournal(AlertType type, Alert.Phase phase) {
        List<Alert> all = new ArrayList<>();
        alertJournal.readAll((a, index) -> {
            if (a.type() == type && a.phase() == phase) {
                all.add(a);
            }
        });
        return all;
    }

    private Path snapshotNow() {
        return core.snapshot().join();
    }

    @Test
    void violationOpenAcrossJournalRetentionKeepsItsIdAndClearsOnceAfterRestart() throws Exception {
        start();
        fixes(5, 1000);
        fixes(20, 100);                                     // deep inside: the violation opens on day 1
        drain();
        List<Alert> raised = alertsInJournal(AlertType.EXCLUSION_VIOLATION, Alert.Phase.RAISED);
        assertEquals(1, raised.size());
        long alertId = raised.get(0).alertId();

        clock.set(T0 + DAY);                                // still inside the next day: a new daily journal file
        fixes(5, 100);
        drain();
        snapshotNow();
        long snapshotIndex = core.lastSnapshotIndex();
        stop();

        int deleted = new JournalRetention(dir.resolve("journal"), 0, () -> snapshotIndex).run(clock.getAsLong());
        assertEquals(1, deleted, "retention deleted the day on which the violation opened");

        start();
        core.replay();
        fixes(10, 1000);                                    // gone: the open violation clears
        drain();
        assertEquals(List.of(alertId), alertsInJournal(AlertType.EXCLUSION_VIOLATION, Alert.Phase.RAISED).stream()
                .map(Alert::alertId).toList(), "no second RAISED after the restart");
        assertEquals(List.of(alertId), alertsInJournal(AlertType.EXCLUSION_VIOLATION, Alert.Phase.CLEARED).stream()
                .map(Alert::alertId).toList(), "the violation opened before the cutoff clears under its own id");

        DeviceLedger ledger = new DeviceLedger();
        core.ledger().copyInto(ledger);
        assertEquals(sequence, ledger.stateFor(TestFleet.KUZET_DEVICE).lastSequence(),
                "the de-duplication ledger outlives the deleted journal file");
    }

    @Test
    void restartReplaysOnlyTheRecordsAfterTheSnapshot() {
        start();
        fixes(5, 1000);
        fixes(20, 100);
        journal.appendTick(clock.getAsLong());
        drain();
        snapshotNow();
        long snapshotIndex = core.lastSnapshotIndex();
        fixes(7, 1000);                                     // journaled, not yet evaluated when the process dies
        stop();

        start();
        long replayed = core.replay();
        assertEquals(snapshotIndex, core.restoredFromIndex());
        assertEquals(7, replayed, "only the tail after the snapshot is replayed");
        assertEquals(1, alertsInJournal(AlertType.EXCLUSION_VIOLATION, Alert.Phase.RAISED).size());
        assertEquals(1, alertsInJournal(AlertType.EXCLUSION_VIOLATION, Alert.Phase.CLEARED).size(),
                "the tail clears the violation restored from the snapshot");
    }

    @Test
    void damagedNewestSnapshotFallsBackToThePreviousOneAndThenToAFullReplay() throws Exception {
        start();
        fixes(5, 1000);
        fixes(10, 100);
        drain();
        Path older = snapshotNow();
        long olderIndex = core.lastSnapshotIndex();
        fixes(10, 100);
        drain();
        Path newer = snapshotNow();
        fixes(3, 1000);
        stop();

        byte[] bytes = Files.readAllBytes(newer);
        bytes[bytes.length / 2] ^= 0x55;
        Files.write(newer, bytes);
        start();
        assertEquals(13, core.replay(), "the 10 fixes between the snapshots and the 3 after them");
        assertEquals(olderIndex, core.restoredFromIndex());
        drain();
        assertEquals(1, alertsInJournal(AlertType.EXCLUSION_VIOLATION, Alert.Phase.RAISED).size());
        stop();

        Files.write(older, new byte[] {1, 2, 3});
        Files.deleteIfExists(dir.resolve("snapshots").resolve(newer.getFileName()));
        try (var files = Files.list(dir.resolve("snapshots"))) {
            for (Path p : files.toList()) {
                if (!p.equals(older)) {
                    Files.delete(p);                        // the one written after the replay above
                }
            }
        }
        start();
        assertEquals(28, core.replay(), "no readable snapshot: the whole journal");
        assertEquals(-1, core.restoredFromIndex());
        assertEquals(1, alertsInJournal(AlertType.EXCLUSION_VIOLATION, Alert.Phase.RAISED).size());
    }

    @Test
    void snapshotsAreTakenEveryIntervalOfJournalTimeAndOnlyTheNewestAreKept() throws Exception {
        config.snapshotIntervalS = 300;
        config.snapshotsKept = 2;
        start();
        fixes(61, 1000);                                    // 30 min of journal time: a snapshot every 5 min
        drain();
        stop();
        try (var files = Files.list(dir.resolve("snapshots"))) {
            assertEquals(2, files.count());
        }
        start();
        assertTrue(core.replay() <= 10, "at most one interval of records is replayed");
        assertTrue(core.restoredFromIndex() >= 0);
    }

    @Test
    void alertJournalRemembersABoundedNumberOfAlerts() {
        try (AlertJournal bounded = new AlertJournal(dir.resolve("bounded"), 1000)) {
            for (int i = 1; i <= 20_000; i++) {
                Alert a = new Alert(i, Alert.Phase.RAISED, AlertType.BATTERY_LOW, io.kuzet.server.alert.Severity.LOW,
                        1, 1, 1, 1, 0, T0 + i, T0 + i, false, "battery low", Map.of());
                assertTrue(bounded.append(a));
                assertTrue(bounded.rememberedCount() <= 1000, "remembered " + bounded.rememberedCount());
            }
            Alert recent = new Alert(20_000, Alert.Phase.RAISED, AlertType.BATTERY_LOW, io.kuzet.server.alert.Severity.LOW,
                    1, 1, 1, 1, 0, T0, T0, false, "battery low", Map.of());
            assertTrue(!bounded.append(recent), "a recent transition is still recognised");
        }
    }

    /** Chronicle's clock for choosing the daily file, driven by the test clock. */
    private record ClockTime(TestClock clock) implements TimeProvider {
        @Override
        public long currentTimeMillis() {
            return clock.getAsLong();
        }

        @Override
        public long currentTimeMicros() {
            return clock.getAsLong() * 1000;
        }

        @Override
        public long currentTimeNanos() {
            return clock.getAsLong() * 1_000_000;
        }
    }
}
