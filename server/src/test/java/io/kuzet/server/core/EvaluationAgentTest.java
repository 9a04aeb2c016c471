package io.kuzet.server.core;

import static io.kuzet.server.testing.Fixes.addFix;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kuzet.protocol.DeviceEventType;
import io.kuzet.protocol.DeviceMessage;
import io.kuzet.protocol.Fix;
import io.kuzet.server.alert.Alert;
import io.kuzet.server.alert.AlertJournal;
import io.kuzet.server.alert.AlertType;
import io.kuzet.server.alert.Severity;
import io.kuzet.server.config.ServerConfig;
import io.kuzet.server.journal.IngestJournal;
import io.kuzet.server.journal.ProcessDurability;
import io.kuzet.server.journal.Protocol;
import io.kuzet.server.registry.RegistryHolder;
import io.kuzet.server.testing.TestFleet;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The evaluation core driven record by record with {@code doWork}, on journal time only: no sockets, no sleeping. */
class EvaluationAgentTest {
    private static final long T0 = 1_780_000_000_000L;

    @TempDir
    Path dir;
    IngestJournal journal;
    AlertJournal alertJournal;
    EvaluationAgent core;
    final List<Alert> alerts = new ArrayList<>();
    final ServerConfig.Core config = new ServerConfig.Core();

    @BeforeEach
    void open() {
        journal = new IngestJournal(dir.resolve("journal"), ProcessDurability.FACTORY);
        alertJournal = new AlertJournal(dir.resolve("alerts"));
        core = newCore();
    }

    private EvaluationAgent newCore() {
        return newCore(TestFleet.registry(600));
    }

    private EvaluationAgent newCore(io.kuzet.server.registry.RegistrySnapshot registry) {
        CoreMetrics metrics = new CoreMetrics(new SimpleMeterRegistry(), () -> 0);
        AlertEmitter emitter = new AlertEmitter(alertJournal, metrics);
        emitter.addListener(alerts::add);
        return new EvaluationAgent(journal, new RegistryHolder(registry), config, emitter,
                GeofenceZoneStage.FACTORY, metrics);
    }

    @AfterEach
    void close() {
        core.close();
        alertJournal.close();
        journal.close();
    }

    private void append(long receivedMs, DeviceMessage msg) {
        msg.deviceId = TestFleet.KUZET_NUMBER;
        journal.appendDeviceMessage(receivedMs, 0, TestFleet.KUZET_DEVICE, Protocol.KUZET.code(), msg);
    }

    private void fix(long timeMs, double metresNorthOfCentre, double accuracyMetres) {
        DeviceMessage msg = new DeviceMessage();
        addFix(msg, timeMs, TestFleet.latNorthOfCentre(metresNorthOfCentre), TestFleet.ZONE_LON, accuracyMetres);
        append(timeMs, msg);
    }

    private void drain() {
        while (core.doWork(1000) > 0) {
            // keep going until the journal is consumed
        }
    }

    private List<Alert> of(AlertType type, Alert.Phase phase) {
        return alerts.stream().filter(a -> a.type() == type && a.phase() == phase).toList();
    }

    @Test
    void walkingDeepIntoExclusionZoneRaisesExactlyOneExplainedViolationThenClearsOnLeaving() {
        for (int i = 0; i < 10; i++) {
            fix(T0 + i * 30_000L, 1000, 8);               // well outside
        }
        for (int i = 10; i < 30; i++) {
            fix(T0 + i * 30_000L, 100, 8);                // 100 m inside a 200 m circle
        }
        for (int i = 30; i < 50; i++) {
            fix(T0 + i * 30_000L, 1000, 8);               // gone again
        }
        drain();
        List<Alert> opened = of(AlertType.EXCLUSION_VIOLATION, Alert.Phase.RAISED);
        assertEquals(1, opened.size(), alerts.toString());
        Alert alert = opened.get(0);
        assertEquals(TestFleet.SUBJECT, alert.subjectId());
        assertEquals(TestFleet.EXCLUSION_RULE, alert.ruleId());
        assertEquals(Severity.HIGH, alert.severity());
        assertEquals(java.time.Instant.ofEpochMilli(T0 + 10 * 30_000L).toString(), alert.details().get("openingFixTime"),
                "the violation is dated from the first violating fix");
        assertTrue(alert.explanation().startsWith("Exclusion zone 'Stay away from victim home': 100 m inside (accuracy 8 m)"),
                alert.explanation());
        assertEquals("Victim home", alert.details().get("zoneName"));
        assertTrue(alert.explanation().contains("inside"), alert.explanation());
        assertFalse(alert.late());
        assertEquals(1, of(AlertType.EXCLUSION_VIOLATION, Alert.Phase.CLEARED).size());
    }

    @Test
    void standingJustOutsideWithNoisyFixesRaisesNoViolation() {
        java.util.Random noise = new java.util.Random(7);
        for (int i = 0; i < 120; i++) {
            fix(T0 + i * 30_000L, 220 + noise.nextGaussian() * 15, 15);   // 20 m outside, 15 m noise, honest accuracy
        }
        drain();
        assertEquals(0, of(AlertType.EXCLUSION_VIOLATION, Alert.Phase.RAISED).size(), alerts.toString());
    }

    @Test
    void silenceLongerThanTheOrderLimitRaisesNoCommunicationThatClearsWhenDataReturns() {
        fix(T0, 1000, 8);
        journal.appendTick(T0 + 300_000);
        drain();
        assertEquals(0, of(AlertType.NO_COMMUNICATION, Alert.Phase.RAISED).size());
        journal.appendTick(T0 + 601_000);                  // limit 600 s passed
        journal.appendTick(T0 + 602_000);
        drain();
        List<Alert> raised = of(AlertType.NO_COMMUNICATION, Alert.Phase.RAISED);
        assertEquals(1, raised.size());
        assertEquals(T0, raised.get(0).fixTimeMs(), "the alert carries the time of the last message");
        assertEquals(T0 + 601_000, raised.get(0).detectedAtMs());
        assertTrue(raised.get(0).explanation().startsWith("No communication for 10 min"), raised.get(0).explanation());
        fix(T0 + 700_000, 1000, 8);
        drain();
        assertEquals(1, of(AlertType.NO_COMMUNICATION, Alert.Phase.CLEARED).size());
    }

    @Test
    void strapTamperRaisesACriticalAlertOnceAndNeverClearsByItself() {
        DeviceMessage msg = new DeviceMessage();
        msg.addEvent(T0, DeviceEventType.STRAP_TAMPER, -1);
        append(T0, msg);
        DeviceMessage again = new DeviceMessage();
        again.addEvent(T0 + 10_000, DeviceEventType.STRAP_TAMPER, -1);
        append(T0 + 10_000, again);
        fix(T0 + 20_000, 1000, 8);
        drain();
        List<Alert> raised = of(AlertType.STRAP_TAMPER, Alert.Phase.RAISED);
        assertEquals(1, raised.size());
        assertEquals(Severity.CRITICAL, raised.get(0).severity());
        assertEquals(0, of(AlertType.STRAP_TAMPER, Alert.Phase.CLEARED).size());
    }

    @Test
    void storeAndForwardUploadInOrderIsNotLateButStatesTheUploadDelay() {
        long received = T0 + 3_600_000;                     // an hour after the fixes were taken, nothing newer before
        DeviceMessage batch = new DeviceMessage();
        for (int i = 0; i < 10; i++) {
            Fix f = addFix(batch, T0 + i * 30_000L, TestFleet.latNorthOfCentre(100), TestFleet.ZONE_LON, 8);
            f.flags |= Fix.FLAG_BUFFERED;
        }
        append(received, batch);
        drain();
        List<Alert> raised = of(AlertType.EXCLUSION_VIOLATION, Alert.Phase.RAISED);
        assertEquals(1, raised.size());
        Alert alert = raised.get(0);
        assertFalse(alert.late(), "in order with respect to the device's newest fix: not late");
        assertTrue(alert.fixTimeMs() < T0 + 300_000, "fix time is when it happened");
        assertEquals(received, alert.detectedAtMs());
        assertFalse(alert.explanation().contains("late"), alert.explanation());
        assertTrue(alert.explanation().contains("uploaded 59 min after the fix"), alert.explanation());
        assertEquals(3540L, alert.details().get("uploadDelaySeconds"));
    }

    @Test
    void fixesOlderThanTheDevicesNewestFixAreLateAndSaySo() {
        for (int i = 0; i < 10; i++) {
            fix(T0 + 3_600_000 + i * 30_000L, 1000, 8);    // live, well outside
        }
        DeviceMessage batch = new DeviceMessage();
        for (int i = 0; i < 10; i++) {
            addFix(batch, T0 + i * 30_000L, TestFleet.latNorthOfCentre(100), TestFleet.ZONE_LON, 8);
        }
        append(T0 + 3_900_000, batch);                       // an hour older than what the device already sent
        drain();
        List<Alert> raised = of(AlertType.EXCLUSION_VIOLATION, Alert.Phase.RAISED);
        assertEquals(1, raised.size(), alerts.toString());
        assertTrue(raised.get(0).late());
        assertTrue(raised.get(0).explanation().contains("[late: older than the device's newest fix"),
                raised.get(0).explanation());
    }

    private long curfewStartWithLastFixAt(double metresNorthOfHome) {
        core.close();
        core = newCore(TestFleet.registryWithHomeCurfew(86_400));
        long curfewStart = java.time.LocalDate.of(2026, 5, 29).atTime(TestFleet.CURFEW_FROM)
                .atZone(java.time.ZoneId.of("Asia/Almaty")).toInstant().toEpochMilli();
        DeviceMessage msg = new DeviceMessage();
        addFix(msg, curfewStart - 1_800_000, TestFleet.latNorthOfHome(metresNorthOfHome), TestFleet.HOME_LON, 8);
        append(curfewStart - 1_800_000, msg);
        for (long t = curfewStart - 600_000; t <= curfewStart + 1_800_000; t += 10_000) {
            journal.appendTick(t);                           // the device stays silent; only the clock moves
        }
        drain();
        return curfewStart;
    }

    private List<Alert> curfewAlerts() {
        return alerts.stream().filter(a -> a.ruleId() == TestFleet.CURFEW_RULE && a.phase() == Alert.Phase.RAISED
                && a.deviceId() == TestFleet.KUZET_DEVICE).toList();
    }

    @Test
    void curfewStartingWhileTheSubjectIsAwayOpensOnTheJournaledClockFromTheLastKnownPosition() {
        long curfewStart = curfewStartWithLastFixAt(600);
        List<Alert> raised = curfewAlerts();
        assertEquals(1, raised.size(), alerts.toString());
        assertEquals(AlertType.CURFEW_VIOLATION, raised.get(0).type());
        assertEquals(curfewStart + 900_000, raised.get(0).detectedAtMs(),
                "on the clock: start + the device's silence before the start (30 min), capped at the unknown time (15 min)");
        assertEquals(java.time.Instant.ofEpochMilli(curfewStart).toString(), raised.get(0).details().get("openingFixTime"));
        assertTrue(raised.get(0).explanation().contains("last known position"), raised.get(0).explanation());
    }

    @Test
    void curfewStartingWhileTheDeviceIsSilentRaisesStatusUnknownOnTheJournaledClock() {
        long curfewStart = curfewStartWithLastFixAt(5);
        List<Alert> raised = curfewAlerts();
        assertEquals(1, raised.size(), alerts.toString());
        assertEquals("CURFEW_STATUS_UNKNOWN", raised.get(0).type().name());
        assertEquals(curfewStart + 900_000, raised.get(0).detectedAtMs(),
                "after the configured time (default 15 min)");
        assertTrue(raised.get(0).explanation().contains("status unknown"), raised.get(0).explanation());
    }

    @Test
    void restartReplaysTheJournalWithoutRaisingAnyAlertTwice() {
        for (int i = 0; i < 20; i++) {
            fix(T0 + i * 30_000L, 100, 8);
        }
        journal.appendTick(T0 + 20 * 30_000L + 700_000);
        drain();
        int before = alerts.size();
        assertTrue(before >= 2, alerts.toString());
        core.close();
        alerts.clear();
        core = newCore();
        core.replay();
        assertEquals(0, alerts.size(), "replayed alerts are recognised as already emitted: " + alerts);
        fix(T0 + 2_000_000, 1000, 8);
        drain();
        assertTrue(alerts.stream().allMatch(a -> a.phase() == Alert.Phase.CLEARED), alerts.toString());
    }
}
