package io.kuzet.server.core;

import static io.kuzet.server.testing.Fixes.addFix;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kuzet.protocol.DeviceMessage;
import io.kuzet.server.alert.Alert;
import io.kuzet.server.alert.AlertJournal;
import io.kuzet.server.alert.AlertType;
import io.kuzet.server.command.CommandKind;
import io.kuzet.server.command.CommandOrigin;
import io.kuzet.server.command.CommandRequest;
import io.kuzet.server.command.DeviceCommandRequests;
import io.kuzet.server.config.ServerConfig;
import io.kuzet.server.journal.IngestJournal;
import io.kuzet.server.journal.ProcessDurability;
import io.kuzet.server.journal.Protocol;
import io.kuzet.server.registry.RegistryHolder;
import io.kuzet.server.registry.ReportingInterval;
import io.kuzet.server.testing.TestFleet;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Adaptive supervision through the evaluation core on journal time: pursuit on a violation and back after the hold,
 * a vibration warning once per approach, a reminder to charge once per low-battery episode, and nothing asked twice
 * after a restart (the same de-duplication keys, whether the core replays the journal or restores a snapshot).
 */
class AdaptiveSupervisionTest {
    private static final long T0 = 1_780_000_000_000L;

    @TempDir
    Path dir;
    final ServerConfig.Core config = new ServerConfig.Core();
    final Outbox outbox = new Outbox();
    final List<Alert> alerts = new ArrayList<>();
    IngestJournal journal;
    AlertJournal alertJournal;
    EvaluationAgent core;
    long now = T0;
    io.kuzet.server.registry.RegistrySnapshot registry = TestFleet.registry(3600);

    /** What the command service would do with the requests: keep every ask, queue each de-duplication key once. */
    static class Outbox implements DeviceCommandRequests {
        final List<CommandRequest> asked = new ArrayList<>();
        final Map<String, CommandRequest> queued = new LinkedHashMap<>();

        @Override
        public void request(CommandRequest request) {
            asked.add(request);
            queued.putIfAbsent(request.deviceId() + "/" + request.dedupKey(), request);
        }

        List<CommandRequest> queued(CommandKind kind) {
            return queued.values().stream().filter(r -> r.kind() == kind).toList();
        }
    }

    private void start(boolean snapshots, DeviceCommandRequests commands) {
        journal = new IngestJournal(dir.resolve("journal"), ProcessDurability.FACTORY);
        alertJournal = new AlertJournal(dir.resolve("alerts"));
        CoreMetrics metrics = new CoreMetrics(new SimpleMeterRegistry(), () -> 0);
        AlertEmitter emitter = new AlertEmitter(alertJournal, metrics);
        emitter.addListener(alerts::add);
        config.snapshotIntervalS = snapshots ? 30 * 86_400 : 0;
        core = new EvaluationAgent(journal, new RegistryHolder(registry), config, emitter,
                GeofenceZoneStage.FACTORY, metrics).withSnapshots(dir.resolve("snapshots")).withCommands(commands);
        core.replay();
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

    /** {@code n} fixes 30 s apart, {@code metres} north of the exclusion zone's centre (radius 200 m), then evaluated. */
    private void fixes(int n, double metres) {
        fixes(TestFleet.KUZET_DEVICE, TestFleet.KUZET_NUMBER, Protocol.KUZET, n, metres);
    }

    /** As {@link #fixes(int, double)} from another of the subject's devices. */
    private void fixes(long deviceId, long deviceNumber, Protocol protocol, int n, double metres) {
        fixes(deviceId, deviceNumber, protocol, n, metres, 0);
    }

    /** As {@link #fixes(int, double)}, received {@code lateMs} after they were taken (buffered by the bracelet). */
    private void fixes(long deviceId, long deviceNumber, Protocol protocol, int n, double metres, long lateMs) {
        for (int i = 0; i < n; i++) {
            now += 30_000;
            DeviceMessage msg = new DeviceMessage();
            msg.deviceId = deviceNumber;
            addFix(msg, now, TestFleet.latNorthOfCentre(metres), TestFleet.ZONE_LON, 8);
            journal.appendDeviceMessage(now + lateMs, 0, deviceId, protocol.code(), msg);
        }
        drain();
    }

    /** Clock ticks every 10 s for {@code ms}. */
    private void ticks(long ms) {
        for (long end = now + ms; now < end; ) {
            now += 10_000;
            journal.appendTick(now);
        }
        drain();
    }

    private void drain() {
        while (core.doWork(1000) > 0) {
            // until the journal is consumed
        }
    }

    private List<Alert> raised(AlertType type) {
        return alerts.stream().filter(a -> a.type() == type && a.phase() == Alert.Phase.RAISED).toList();
    }

    private List<CommandRequest> intervals() {
        return outbox.queued(CommandKind.SET_REPORTING_INTERVAL);
    }

    @Test
    void violationOpeningRequestsFifteenSecondReportingAndClosingPlusHoldReturnsToTheOrdersInterval() {
        start(false, outbox);
        fixes(5, 1000);
        fixes(6, 100);                                       // deep inside: the violation opens
        Alert violation = raised(AlertType.EXCLUSION_VIOLATION).get(0);
        assertEquals(1, intervals().size(), outbox.asked.toString());
        CommandRequest on = intervals().get(0);
        assertEquals(TestFleet.KUZET_DEVICE, on.deviceId());
        assertEquals(15, on.argument());
        assertEquals(violation.alertId(), on.alertId(), "the command names the alert that caused it");
        assertEquals("pursuit-on:" + violation.alertId(), on.dedupKey());
        assertEquals(CommandOrigin.SUPERVISION, on.origin());
        assertTrue(on.reason().startsWith("violation opened: Exclusion zone 'Stay away from victim home'"), on.reason());
        assertTrue(violation.details().get("pursuit").toString().startsWith("reporting every 15 s until the violation ends"),
                violation.details().toString());

        fixes(10, 100);                                      // still inside: nothing more asked
        fixes(6, 1000);                                      // out again: the violation clears
        assertEquals(1, alerts.stream().filter(a -> a.phase() == Alert.Phase.CLEARED).count(), alerts.toString());
        long clearedAt = alerts.stream().filter(a -> a.phase() == Alert.Phase.CLEARED).findFirst().orElseThrow().detectedAtMs();
        ticks(clearedAt + 110_000 - now);
        assertEquals(1, intervals().size(), "still within the 120 s hold");
        ticks(30_000);
        assertEquals(2, intervals().size(), outbox.asked.toString());
        CommandRequest off = intervals().get(1);
        assertEquals(ReportingInterval.forRisk(io.kuzet.server.registry.RiskLevel.MEDIUM), off.argument(),
                "back to the medium-risk order's normal interval");
        assertEquals("pursuit-off:" + violation.alertId(), off.dedupKey());
        ticks(600_000);
        assertEquals(2, outbox.asked.size(), "nothing more once the pursuit is over");
    }

    @Test
    void approachingTheZoneVibratesOncePerApproachAndTheWarningAlertSaysTheSubjectWasWarned() {
        config.exclusionWarningMetres = 300;
        start(false, outbox);
        for (double d = 1000; d >= 350; d -= 50) {
            fixes(1, d);                                     // 150 m outside the zone: within the warning distance
        }
        fixes(10, 380);                                      // lingers in the warning band
        assertEquals(1, outbox.queued(CommandKind.VIBRATE).size(), outbox.asked.toString());
        for (double d = 400; d <= 1000; d += 50) {
            fixes(1, d);                                     // turns back, beyond the warning distance
        }
        fixes(1, 350);                                       // a second approach: a second episode
        List<Alert> warnings = raised(AlertType.ZONE_APPROACH_WARNING);
        assertEquals(2, warnings.size(), alerts.toString());
        assertEquals(0, raised(AlertType.EXCLUSION_VIOLATION).size(), "warned, the subject never entered");
        List<CommandRequest> vibrations = outbox.queued(CommandKind.VIBRATE);
        assertEquals(2, vibrations.size(), outbox.asked.toString());
        for (int i = 0; i < 2; i++) {
            assertEquals(warnings.get(i).alertId(), vibrations.get(i).alertId());
            assertEquals("warn:" + warnings.get(i).alertId(), vibrations.get(i).dedupKey());
            assertEquals(3000, vibrations.get(i).argument());
        }
        Alert first = warnings.get(0);
        assertTrue(first.explanation().matches("Exclusion zone 'Stay away from victim home' approached: \\d+ m outside"
                + " \\(accuracy 8 m\\), warning distance 300 m; subject warned by vibration"), first.explanation());
        assertEquals("VIBRATE 3000 ms", first.details().get("subjectWarned"));
        List<Alert> ended = alerts.stream().filter(a -> a.phase() == Alert.Phase.CLEARED).toList();
        assertEquals(List.of(first.alertId()), ended.stream().map(Alert::alertId).toList(),
                "the first warning ended when the subject was beyond the warning distance again");

        // the approach also switched the bracelet to 15 s reporting, which ends 10 min after the last warning
        assertEquals(List.of("pursuit-on:" + first.alertId()), intervals().stream().map(CommandRequest::dedupKey).toList());
        assertEquals(15, intervals().get(0).argument());
        ticks(590_000);
        assertEquals(1, intervals().size(), "the second approach extended the pursuit");
        ticks(20_000);
        assertEquals("pursuit-off:" + first.alertId(), intervals().get(1).dedupKey());
    }

    @Test
    void subjectAwayFromHomeBeforeTheCurfewIsWarnedOnceOnTheClockWithoutPursuit() {
        config.curfewWarningS = 900;
        registry = TestFleet.registryWithHomeCurfew(86_400);
        start(false, outbox);
        long curfewStart = java.time.LocalDate.of(2026, 5, 29).atTime(TestFleet.CURFEW_FROM)
                .atZone(java.time.ZoneId.of("Asia/Almaty")).toInstant().toEpochMilli();
        now = curfewStart - 1_800_000;
        DeviceMessage msg = new DeviceMessage();
        msg.deviceId = TestFleet.KUZET_NUMBER;
        addFix(msg, now, TestFleet.latNorthOfHome(600), TestFleet.HOME_LON, 8);   // 541 m outside home (60 m radius), then silent
        journal.appendDeviceMessage(now, 0, TestFleet.KUZET_DEVICE, Protocol.KUZET.code(), msg);
        ticks(1_740_000);                                    // up to a minute before the curfew
        List<Alert> warnings = raised(AlertType.CURFEW_WARNING);
        assertEquals(1, warnings.size(), alerts.toString());
        assertEquals(curfewStart - 900_000, warnings.get(0).detectedAtMs(), "15 min before the curfew");
        assertTrue(warnings.get(0).explanation().startsWith("Curfew zone 'Home at night': curfew begins at 01:00 (in 15 min)"
                + " and the subject is 541 m outside"), warnings.get(0).explanation());
        assertEquals(List.of("warn:" + warnings.get(0).alertId()), outbox.asked.stream().map(CommandRequest::dedupKey).toList(),
                "one vibration, and no pursuit for a curfew warning");
    }

    @Test
    void lowBatteryRemindsTheSubjectToChargeOncePerEpisode() {
        start(false, outbox);
        for (int percent : new int[] {30, 18, 17, 16}) {
            now += 60_000;
            DeviceMessage msg = new DeviceMessage();
            msg.deviceId = TestFleet.KUZET_NUMBER;
            msg.batteryPercent = percent;
            journal.appendDeviceMessage(now, 0, TestFleet.KUZET_DEVICE, Protocol.KUZET.code(), msg);
        }
        drain();
        Alert low = raised(AlertType.BATTERY_LOW).get(0);
        assertEquals(List.of("charge:" + low.alertId()), outbox.asked.stream().map(CommandRequest::dedupKey).toList());
        assertEquals(1000, outbox.asked.get(0).argument());
        assertTrue(low.explanation().endsWith("; subject reminded to charge by vibration"), low.explanation());
    }

    @Test
    void replayOfTheWholeJournalAfterARestartAsksAgainWithTheSameKeysSoNothingIsQueuedTwice() {
        start(false, outbox);
        fixes(5, 1000);
        fixes(6, 100);
        assertEquals(1, outbox.asked.size());
        stop();

        start(false, outbox);                                // no snapshot: the core re-decides from the journal
        assertEquals(2, outbox.asked.size(), "the replay asks again ...");
        assertEquals(outbox.asked.get(0).dedupKey(), outbox.asked.get(1).dedupKey(), "... with the same key");
        assertEquals(1, intervals().size(), "so the outbox queues it once");
        fixes(6, 1000);
        ticks(300_000);
        assertEquals(2, intervals().size(), "the pursuit still ends after the restart");
        assertEquals(ReportingInterval.MEDIUM_RISK_S, intervals().get(1).argument());
    }

    @Test
    void pursuitStateSurvivesARestartFromASnapshot() {
        start(true, outbox);
        fixes(5, 1000);
        fixes(6, 100);
        long alertId = intervals().get(0).alertId();
        stop();                                              // snapshot at close: the restart replays nothing

        start(true, outbox);
        assertEquals(1, outbox.asked.size(), "nothing re-decided, nothing asked");
        assertEquals(15, core.pursuitIntervals().intervalS(TestFleet.KUZET_DEVICE), "a login now is told the pursuit interval");
        fixes(6, 1000);
        ticks(300_000);
        assertEquals(2, intervals().size(), outbox.asked.toString());
        assertEquals("pursuit-off:" + alertId, intervals().get(1).dedupKey(), "the restored pursuit ends");
        assertEquals(0, core.pursuitIntervals().intervalS(TestFleet.KUZET_DEVICE));
    }

    @Test
    void aPursuitAskedForButNotYetStoredWhenTheServerDiesIsAskedForAgainAfterTheRestart() {
        Outbox unstored = new Outbox() {
            @Override
            public boolean awaitStored(java.time.Duration timeout) {
                return false;   // the database has not taken the request yet when the process dies
            }
        };
        start(true, unstored);
        fixes(5, 1000);
        fixes(6, 100);
        assertEquals(1, unstored.asked.size(), "pursuit asked for");
        stop();                                              // the close-time snapshot must not cover the lost request

        start(true, outbox);
        assertEquals(1, intervals().size(), "the restarted core asks again: " + outbox.asked);
        assertEquals(15, intervals().get(0).argument());
    }

    @Test
    void withoutTheCommandServiceNothingIsAskedAndNoWarningIsClaimed() {
        config.exclusionWarningMetres = 300;
        start(false, DeviceCommandRequests.NONE);
        fixes(5, 1000);
        fixes(6, 350);
        Alert warning = raised(AlertType.ZONE_APPROACH_WARNING).get(0);
        assertFalse(warning.explanation().contains("warned"), warning.explanation());
        assertNull(warning.details().get("subjectWarned"));
        fixes(6, 100);
        assertNull(raised(AlertType.EXCLUSION_VIOLATION).get(0).details().get("pursuit"));
    }

    @Test
    void aGt06TrackerThatCannotVibrateIsNotWarnedAndTheAlertDoesNotClaimItButIsStillPursued() {
        config.exclusionWarningMetres = 300;
        start(false, outbox);
        fixes(TestFleet.GT06_DEVICE, TestFleet.GT06_IMEI, Protocol.GT06, 5, 1000);
        fixes(TestFleet.GT06_DEVICE, TestFleet.GT06_IMEI, Protocol.GT06, 6, 350);
        Alert warning = raised(AlertType.ZONE_APPROACH_WARNING).get(0);
        assertFalse(warning.explanation().contains("warned"), warning.explanation());
        assertNull(warning.details().get("subjectWarned"), "no SUBJECT_WARNED history entry for a vibration never sent");
        assertEquals(List.of(), outbox.queued(CommandKind.VIBRATE));
        assertEquals(List.of("pursuit-on:" + warning.alertId()), intervals().stream().map(CommandRequest::dedupKey).toList(),
                "the approach still switches the tracker to 15 s reporting (GT06 can do TIMER)");
    }

    @Test
    void anApproachWarningFromFixesUploadedTwentyMinutesLateDoesNotVibrateTheBracelet() {
        config.exclusionWarningMetres = 300;
        start(false, outbox);
        fixes(TestFleet.KUZET_DEVICE, TestFleet.KUZET_NUMBER, Protocol.KUZET, 5, 1000, 20 * 60_000L);
        fixes(TestFleet.KUZET_DEVICE, TestFleet.KUZET_NUMBER, Protocol.KUZET, 6, 350, 20 * 60_000L);
        Alert warning = raised(AlertType.ZONE_APPROACH_WARNING).get(0);
        assertTrue(warning.explanation().contains("uploaded 20 min after the fix"), warning.explanation());
        assertEquals(List.of(), outbox.queued(CommandKind.VIBRATE), "the approach was 20 minutes ago");
        assertFalse(warning.explanation().contains("warned"), warning.explanation());
        assertNull(warning.details().get("subjectWarned"));
    }

    @Test
    void aProximityWarningClearsOnceTheSubjectIsBeyondTheWarningDistanceAgain() {
        registry = TestFleet.registryWithProximity(3600, 500, 1500);
        start(false, outbox);
        double[] legs = {3_000, 1_000, 3_000};   // far, within the warning distance (outside the limit), far again
        for (double metres : legs) {
            for (int i = 0; i < 8; i++) {
                fixes(TestFleet.VICTIM_DEVICE, TestFleet.VICTIM_NUMBER, Protocol.WATCH, 1, 0);
                fixes(1, metres);
            }
        }
        List<Alert> warning = alerts.stream().filter(a -> a.type() == AlertType.PROXIMITY_WARNING).toList();
        assertEquals(List.of(Alert.Phase.RAISED, Alert.Phase.CLEARED), warning.stream().map(Alert::phase).toList(),
                "the warning leaves the operator's queue by itself: " + alerts);
        assertEquals(warning.get(0).alertId(), warning.get(1).alertId());
        assertTrue(warning.get(1).explanation().contains("moved away"), warning.get(1).explanation());
        assertEquals(List.of(), raised(AlertType.PROXIMITY_VIOLATION));
    }
}
