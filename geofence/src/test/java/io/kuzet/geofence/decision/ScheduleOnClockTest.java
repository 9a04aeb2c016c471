package io.kuzet.geofence.decision;

import static io.kuzet.geofence.decision.Fixtures.LAT;
import static io.kuzet.geofence.decision.Fixtures.LON;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kuzet.geofence.rule.Rule;
import io.kuzet.geofence.rule.RuleKind;
import io.kuzet.geofence.schedule.Schedule;
import io.kuzet.geofence.schedule.WeeklyWindow;
import io.kuzet.geofence.testing.Geo;
import io.kuzet.geofence.testing.Recorder;
import io.kuzet.geofence.zone.CircleZone;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.ZoneId;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Curfews start on the core's clock (journaled ticks), not at the next fix. */
class ScheduleOnClockTest {
    private static final ZoneId ALMATY = ZoneId.of("Asia/Almaty");
    private static final long NINE_PM = LocalDateTime.of(2025, 6, 10, 21, 0).atZone(ALMATY).toInstant().toEpochMilli();
    private static final long UNKNOWN_AFTER_MS = 600_000;

    private final Rule curfew = Rule.builder(3, RuleKind.CURFEW, "Home at night")
            .zone(CircleZone.of("Home", LAT, LON, 60))
            .schedule(new Schedule(ALMATY, List.of(WeeklyWindow.daily(LocalTime.of(21, 0), LocalTime.of(7, 0))), List.of()))
            .build();
    private final double[] away = Geo.offset(LAT, LON, 90, 800);
    private final double[] home = Geo.offset(LAT, LON, 90, 5);

    private static void ticks(DeviceEvaluator e, Recorder r, long fromMs, long toMs) {
        for (long t = fromMs; t <= toMs; t += 1_000) {
            e.onClock(t, UNKNOWN_AFTER_MS, r);
        }
    }

    @Test
    void curfewStartingWhileTheSubjectIsAwayOpensAtStartPlusDwellFromTheLastKnownPosition() {
        DeviceEvaluator evaluator = Fixtures.evaluator(curfew);
        Recorder recorder = new Recorder();
        for (long t = NINE_PM - 600_000; t < NINE_PM - 60_000; t += 60_000) {
            evaluator.evaluate(t, away[0], away[1], 10, recorder);
        }
        ticks(evaluator, recorder, NINE_PM - 60_000, NINE_PM + 300_000);   // the device has gone silent
        assertEquals(List.of(TransitionKind.VIOLATION_OPENED), recorder.events.stream().map(Recorder.Seen::kind).toList());
        Recorder.Seen opened = recorder.events.get(0);
        assertEquals(NINE_PM, opened.openingFixTimeMs(), "dated from the start of the curfew");
        assertEquals(NINE_PM + 120_000, opened.openingFixTimeMs() + opened.durationMs(),
                "decided at start + the longer of the open dwell (60 s) and the silence before the start (120 s)");
        assertTrue(opened.explanation().contains("curfew began at 21:00 while the subject was away")
                && opened.explanation().contains("last known position"), opened.explanation());
        assertTrue(evaluator.inViolation(3));
    }

    @Test
    void deviceSilentAtCurfewStartRaisesStatusUnknownAfterTheConfiguredTimeAndResolvesAtTheNextFix() {
        DeviceEvaluator evaluator = Fixtures.evaluator(curfew);
        Recorder recorder = new Recorder();
        for (long t = NINE_PM - 1_800_000; t < NINE_PM - 300_000; t += 60_000) {
            evaluator.evaluate(t, home[0], home[1], 10, recorder);
        }
        ticks(evaluator, recorder, NINE_PM - 300_000, NINE_PM + 1_200_000);
        assertEquals(List.of(TransitionKind.SCHEDULE_STATUS_UNKNOWN), recorder.events.stream().map(Recorder.Seen::kind).toList());
        assertEquals(NINE_PM + UNKNOWN_AFTER_MS,
                recorder.events.get(0).openingFixTimeMs() + recorder.events.get(0).durationMs());
        evaluator.evaluate(NINE_PM + 1_260_000, home[0], home[1], 10, recorder);
        assertEquals(List.of(TransitionKind.SCHEDULE_STATUS_UNKNOWN, TransitionKind.SCHEDULE_STATUS_KNOWN),
                recorder.events.stream().map(Recorder.Seen::kind).toList());
    }

    @Test
    void monitoringThatBeginsInsideAWindowTimesStatusUnknownFromItsOwnStart() {
        DeviceEvaluator evaluator = Fixtures.evaluator(curfew);
        Recorder recorder = new Recorder();
        long serverStart = NINE_PM + 2 * 3_600_000L;
        ticks(evaluator, recorder, serverStart, serverStart + UNKNOWN_AFTER_MS - 1_000);
        assertEquals(List.of(), recorder.events, "not unknown at once because the window began hours ago");
        evaluator.evaluate(serverStart + 120_000, home[0], home[1], 10, recorder);
        ticks(evaluator, recorder, serverStart + UNKNOWN_AFTER_MS, serverStart + 2 * UNKNOWN_AFTER_MS);
        assertEquals(List.of(), recorder.events);
    }

    @Test
    void aDeviceReportingThroughTheCurfewStartRaisesNothingOnTheClock() {
        DeviceEvaluator evaluator = Fixtures.evaluator(curfew);
        Recorder recorder = new Recorder();
        for (long t = NINE_PM - 1_800_000; t < NINE_PM + 3_600_000; t += 30_000) {
            evaluator.evaluate(t, home[0], home[1], 10, recorder);
            ticks(evaluator, recorder, t, t + 29_000);
        }
        assertEquals(List.of(), recorder.events);
    }

    @Test
    void replayingFixesAndTicksGivesTheSameTransitions() {
        List<Recorder.Seen> first = null;
        for (int run = 0; run < 2; run++) {
            DeviceEvaluator evaluator = Fixtures.evaluator(curfew);
            Recorder recorder = new Recorder();
            evaluator.evaluate(NINE_PM - 120_000, away[0], away[1], 10, recorder);
            ticks(evaluator, recorder, NINE_PM - 60_000, NINE_PM + 120_000);
            evaluator.evaluate(NINE_PM + 180_000, home[0], home[1], 10, recorder);
            if (first == null) {
                first = recorder.events;
            } else {
                assertEquals(first, recorder.events);
            }
        }
    }
}
