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

/** Warnings that let a subject turn back: approaching an exclusion zone, and still away shortly before a curfew. */
class SubjectWarningTest {
    private static final ZoneId ALMATY = ZoneId.of("Asia/Almaty");
    private static final long NINE_PM = LocalDateTime.of(2025, 6, 10, 21, 0).atZone(ALMATY).toInstant().toEpochMilli();

    private final Rule exclusion = Rule.builder(2, RuleKind.EXCLUSION, "Victim home")
            .zone(CircleZone.of("Victim home", LAT, LON, 200)).approachWarning(300).build();
    private final Rule curfew = Rule.builder(3, RuleKind.CURFEW, "Home at night")
            .zone(CircleZone.of("Home", LAT, LON, 60))
            .schedule(new Schedule(ALMATY, List.of(WeeklyWindow.daily(LocalTime.of(21, 0), LocalTime.of(7, 0))), List.of()))
            .curfewWarning(900)
            .build();

    private static void at(DeviceEvaluator e, Recorder r, long t, double metresFromCentre) {
        double[] p = Geo.offset(LAT, LON, 0, metresFromCentre);
        e.evaluate(t, p[0], p[1], 10, r);
    }

    @Test
    void approachingAnExclusionZoneWarnsOncePerApproachEndsTheWarningWhenBeyondAndTurningBackOpensNothing() {
        DeviceEvaluator evaluator = Fixtures.evaluator(exclusion);
        Recorder recorder = new Recorder();
        long t = 0;
        for (double d = 1_000; d >= 350; d -= 50, t += 15_000) {
            at(evaluator, recorder, t, d);          // walks in to 150 m outside the zone
        }
        for (int i = 0; i < 10; i++, t += 15_000) {
            at(evaluator, recorder, t, 380 + (i % 2) * 20);   // lingers inside the warning band: no second warning
        }
        for (double d = 400; d <= 1_000; d += 50, t += 15_000) {
            at(evaluator, recorder, t, d);          // turns back beyond the warning distance: re-armed
        }
        for (double d = 1_000; d >= 100; d -= 50, t += 15_000) {
            at(evaluator, recorder, t, d);          // comes back, this time into the zone
        }
        for (int i = 0; i < 10; i++, t += 15_000) {
            at(evaluator, recorder, t, 100);
        }
        assertEquals(List.of(TransitionKind.APPROACH_WARNING, TransitionKind.APPROACH_WARNING_ENDED,
                TransitionKind.APPROACH_WARNING, TransitionKind.VIOLATION_OPENED),
                recorder.events.stream().map(Recorder.Seen::kind).toList());
        Recorder.Seen ended = recorder.events.get(1);
        assertEquals(recorder.events.get(0).fixTimeMs(), ended.openingFixTimeMs(), "names the warning it ends");
        assertTrue(ended.explanation().matches("Exclusion zone 'Victim home': moved away, \\d+ m outside \\(accuracy 10 m\\),"
                + " beyond the warning distance 300 m"), ended.explanation());
        Recorder.Seen first = recorder.events.get(0);
        assertTrue(first.signedMetres() < 0 && first.signedMetres() > -300 + 10, "certainly within 300 m outside");
        assertTrue(first.explanation().matches("Exclusion zone 'Victim home' approached: \\d+ m outside \\(accuracy 10 m\\),"
                + " warning distance 300 m"), first.explanation());
    }

    @Test
    void subjectAwayFromHomeIsWarnedOnceBeforeTheCurfewOnFixesAndOnTheClock() {
        DeviceEvaluator evaluator = Fixtures.evaluator(curfew);
        Recorder recorder = new Recorder();
        for (long t = NINE_PM - 3_600_000; t < NINE_PM - 1_500_000; t += 60_000) {
            at(evaluator, recorder, t, 800);        // away, long before the warning time: nothing
        }
        assertEquals(List.of(), recorder.events);
        for (long t = NINE_PM - 1_500_000; t <= NINE_PM - 600_000; t += 1_000) {
            evaluator.onClock(t, 900_000, recorder);  // silent; the clock warns from the last known position
        }
        assertEquals(List.of(TransitionKind.CURFEW_WARNING), recorder.events.stream().map(Recorder.Seen::kind).toList());
        Recorder.Seen warning = recorder.events.get(0);
        assertEquals(NINE_PM, warning.openingFixTimeMs(), "one warning per window, keyed by its start");
        assertEquals(900_000, warning.durationMs(), "warned 15 min before the start");
        assertTrue(warning.explanation().startsWith("Curfew zone 'Home at night': curfew begins at 21:00 (in 15 min) and"
                + " the subject is 740 m outside"), warning.explanation());
        for (long t = NINE_PM - 540_000; t < NINE_PM - 60_000; t += 60_000) {
            at(evaluator, recorder, t, 700);        // still away, fixes again: not warned twice
        }
        assertEquals(1, recorder.events.size(), recorder.events.toString());
    }

    @Test
    void subjectAtHomeBeforeTheCurfewIsNotWarned() {
        DeviceEvaluator evaluator = Fixtures.evaluator(curfew);
        Recorder recorder = new Recorder();
        for (long t = NINE_PM - 1_800_000; t < NINE_PM; t += 60_000) {
            at(evaluator, recorder, t, 10);
            evaluator.onClock(t + 30_000, 900_000, recorder);
        }
        assertEquals(List.of(), recorder.events);
    }
}
