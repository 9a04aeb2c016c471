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
import io.kuzet.geofence.testing.Noise;
import io.kuzet.geofence.testing.Recorder;
import io.kuzet.geofence.zone.CircleZone;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.ZoneId;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A flat or a house plot 120 m across, watched by a device that reports no accuracy (taken as 50 m): with the 25 m
 * grace no fix can ever be certainly inside, so the violation must close on the evidence that the subject is back.
 */
class SmallZoneClosingTest {
    private static final long STEP_MS = 30_000;
    private static final long HOUR_MS = 3_600_000;
    private static final ZoneId ALMATY = ZoneId.of("Asia/Almaty");
    private static final long EVENING = LocalDateTime.of(2025, 6, 10, 20, 0).atZone(ALMATY).toInstant().toEpochMilli();

    private final Rule curfew = Rule.builder(3, RuleKind.CURFEW, "Home at night")
            .zone(CircleZone.of("Home", LAT, LON, 60))
            .schedule(new Schedule(ALMATY, List.of(WeeklyWindow.daily(LocalTime.of(21, 0), LocalTime.of(7, 0))), List.of()))
            .build();

    private static long walk(DeviceEvaluator evaluator, Recorder recorder, Noise noise, long fromMs, long durationMs,
                             double radiusMetres, double accuracy) {
        long t = fromMs;
        for (; t < fromMs + durationMs; t += STEP_MS) {
            double[] truth = Geo.offset(LAT, LON, 30, radiusMetres);
            double[] fix = noise.around(truth[0], truth[1]);
            evaluator.evaluate(t, fix[0], fix[1], accuracy, recorder);
        }
        return t;
    }

    @Test
    void curfewViolationInA120MetreHomeClosesWhenTheSubjectIsBackAlthoughAccuracyIsUnknown() {
        DeviceEvaluator evaluator = Fixtures.evaluator(curfew);
        Recorder recorder = new Recorder();
        Noise noise = new Noise(11, 15);
        long t = walk(evaluator, recorder, noise, EVENING + 2 * HOUR_MS, HOUR_MS, 600, Double.NaN); // 22:00-23:00 out
        long back = t;
        walk(evaluator, recorder, noise, t, 2 * HOUR_MS, 10, Double.NaN);                            // home again
        assertEquals(List.of(TransitionKind.VIOLATION_OPENED, TransitionKind.VIOLATION_CLOSED),
                recorder.events.stream().map(Recorder.Seen::kind).toList(), recorder.events.toString());
        Recorder.Seen closed = recorder.events.get(1);
        assertTrue(closed.fixTimeMs() >= back && closed.fixTimeMs() <= back + 10 * 60_000L,
                "closed within minutes of coming home: " + closed);
        assertTrue(closed.explanation().contains("back inside"), closed.explanation());
    }

    @Test
    void inclusionViolationOfASmallPlotClosesOnFixesInsideButOneStrayFixInsideDoesNot() {
        Rule plot = Rule.builder(4, RuleKind.INCLUSION, "House plot").zone(CircleZone.of("Plot", LAT, LON, 60)).build();
        DeviceEvaluator evaluator = Fixtures.evaluator(plot);
        Recorder recorder = new Recorder();
        Noise none = new Noise(1, 0);
        long t = walk(evaluator, recorder, none, 0, HOUR_MS, 500, 40);
        t = walk(evaluator, recorder, none, t, STEP_MS, 20, 40);          // one fix inside
        t = walk(evaluator, recorder, none, t, HOUR_MS, 500, 40);         // out again
        assertEquals(List.of(TransitionKind.VIOLATION_OPENED),
                recorder.events.stream().map(Recorder.Seen::kind).toList(), recorder.events.toString());
        walk(evaluator, recorder, none, t, HOUR_MS, 20, 40);
        assertEquals(TransitionKind.VIOLATION_CLOSED, recorder.events.get(recorder.events.size() - 1).kind());
    }
}
