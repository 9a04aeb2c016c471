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
import io.kuzet.geofence.zone.Zone;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.ZoneId;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Ground-truth walks with 15 m Gaussian noise (per axis) and a reported accuracy of 15 m, a fix every 15 s. */
class NoiseScenarioTest {
    private static final long STEP_MS = 15_000;
    private static final long HOUR_MS = 3_600_000;
    private static final double ACCURACY = 15;
    private static final double SIGMA = 15;
    private static final double WALK_METRES_PER_SECOND = 1.4;

    private final Zone victimHome = Fixtures.regularPolygon("Victim home", LAT, LON, 200, 64);
    private final Rule exclusion = Rule.builder(1, RuleKind.EXCLUSION, "Victim home").zone(victimHome).build();

    /** Evaluates a fix every 15 s for the duration at the true distance (from the centre, azimuth 45) given by f. */
    private static long walk(DeviceEvaluator evaluator, Recorder recorder, Noise noise, long fromMs, long durationMs,
                             java.util.function.LongToDoubleFunction radiusAt, double azimuth) {
        long t = fromMs;
        for (; t < fromMs + durationMs; t += STEP_MS) {
            double[] truth = Geo.offset(LAT, LON, azimuth, radiusAt.applyAsDouble(t - fromMs));
            double[] fix = noise.around(truth[0], truth[1]);
            evaluator.evaluate(t, fix[0], fix[1], ACCURACY, recorder);
        }
        return t;
    }

    @Test
    void standingTwentyMetresOutsideWithFifteenMetreNoiseForAnHourRaisesNoViolation() {
        DeviceEvaluator evaluator = Fixtures.evaluator(exclusion);
        Recorder recorder = new Recorder();
        walk(evaluator, recorder, new Noise(1, SIGMA), 0, HOUR_MS, t -> 220, 45);
        assertEquals(List.of(), recorder.events);
    }

    @Test
    void walkingOneHundredMetresInRaisesExactlyOneViolationWithinTheDwellLimit() {
        DeviceEvaluator evaluator = Fixtures.evaluator(exclusion);
        Recorder recorder = new Recorder();
        long crossingMs = (long) (20 / WALK_METRES_PER_SECOND * 1000);
        walk(evaluator, recorder, new Noise(2, SIGMA), 0, HOUR_MS,
                t -> Math.max(100, 220 - WALK_METRES_PER_SECOND * t / 1000.0), 45);
        assertEquals(1, recorder.events.size(), recorder.events.toString());
        Recorder.Seen opened = recorder.events.get(0);
        assertEquals(TransitionKind.VIOLATION_OPENED, opened.kind());
        assertEquals(Decision.INSIDE, opened.decision());
        // Certain once deeper than accuracy + grace (25 m, ~45 m with noise), then 3 fixes over 30 s.
        assertTrue(opened.fixTimeMs() - crossingMs <= 90_000, "detected after " + (opened.fixTimeMs() - crossingMs));
        assertTrue(opened.explanation().matches(
                "Exclusion zone 'Victim home': \\d+ m inside \\(accuracy 15 m\\), \\d+ fixes over \\d+ s"),
                opened.explanation());
    }

    @Test
    void walkingAlongTheBoundaryForAnHourProducesNoStorm() {
        DeviceEvaluator evaluator = Fixtures.evaluator(exclusion);
        Recorder recorder = new Recorder();
        long t = 0;
        Noise noise = new Noise(3, SIGMA);
        for (int i = 0; t < HOUR_MS; i++, t += STEP_MS) {
            double azimuth = i * 0.8 % 360; // ~21 m along the 200 m circle per fix
            double[] truth = Geo.offset(LAT, LON, azimuth, 200);
            double[] fix = noise.around(truth[0], truth[1]);
            evaluator.evaluate(t, fix[0], fix[1], ACCURACY, recorder);
        }
        assertTrue(recorder.of(TransitionKind.VIOLATION_OPENED).size() <= 1, recorder.events.toString());
        assertTrue(recorder.events.size() <= 2, recorder.events.toString());
    }

    @Test
    void inclusionZoneGivesNoViolationTwentyMetresInsideAndExactlyOneWhenWalkingOneHundredMetresOut() {
        Zone district = Fixtures.regularPolygon("District", LAT, LON, 2_000, 200);
        Rule inclusion = Rule.builder(2, RuleKind.INCLUSION, "District").zone(district).build();
        DeviceEvaluator evaluator = Fixtures.evaluator(inclusion);
        Recorder recorder = new Recorder();
        Noise noise = new Noise(4, SIGMA);
        long t = walk(evaluator, recorder, noise, 0, HOUR_MS, ms -> 1_980, 10);
        assertEquals(List.of(), recorder.events, "standing 20 m inside");
        t = walk(evaluator, recorder, noise, t, HOUR_MS,
                ms -> Math.min(2_100, 1_980 + WALK_METRES_PER_SECOND * ms / 1000.0), 10);
        walk(evaluator, recorder, noise, t, HOUR_MS, ms -> 1_900, 10);
        assertEquals(List.of(TransitionKind.VIOLATION_OPENED, TransitionKind.VIOLATION_CLOSED),
                recorder.events.stream().map(Recorder.Seen::kind).toList());
        assertTrue(recorder.events.get(0).explanation().startsWith("Inclusion zone 'District': "));
    }

    @Test
    void curfewAtHomeAllNightWithNoiseRaisesNothingAndANightOutRaisesExactlyOneViolation() {
        ZoneId almaty = ZoneId.of("Asia/Almaty");
        Schedule nights = new Schedule(almaty, List.of(WeeklyWindow.daily(LocalTime.of(21, 0), LocalTime.of(7, 0))),
                List.of());
        Zone home = CircleZone.of("Home", LAT, LON, 60);
        Rule curfew = Rule.builder(3, RuleKind.CURFEW, "Home at night").zone(home).schedule(nights).build();
        long evening = LocalDateTime.of(2025, 6, 10, 20, 0).atZone(almaty).toInstant().toEpochMilli();

        DeviceEvaluator atHome = Fixtures.evaluator(curfew);
        Recorder quiet = new Recorder();
        walk(atHome, quiet, new Noise(5, SIGMA), evening, 12 * HOUR_MS, ms -> 5, 0);
        assertEquals(List.of(), quiet.events);

        DeviceEvaluator out = Fixtures.evaluator(curfew);
        Recorder recorder = new Recorder();
        long leaveMs = 3 * HOUR_MS; // 23:00
        walk(out, recorder, new Noise(6, SIGMA), evening, 12 * HOUR_MS,
                ms -> ms < leaveMs || ms > leaveMs + 2 * HOUR_MS ? 5 : 400, 0);
        assertEquals(List.of(TransitionKind.VIOLATION_OPENED, TransitionKind.VIOLATION_CLOSED),
                recorder.events.stream().map(Recorder.Seen::kind).toList());
        assertTrue(recorder.events.get(0).openingFixTimeMs() >= evening + leaveMs);
    }

    @Test
    void curfewViolationOpensAfterTheWindowStartsAndClosesWhenTheWindowEnds() {
        ZoneId almaty = ZoneId.of("Asia/Almaty");
        Schedule nights = new Schedule(almaty, List.of(WeeklyWindow.daily(LocalTime.of(21, 0), LocalTime.of(7, 0))),
                List.of());
        Rule curfew = Rule.builder(3, RuleKind.CURFEW, "Home at night").zone(CircleZone.of("Home", LAT, LON, 60))
                .schedule(nights).build();
        long evening = LocalDateTime.of(2025, 6, 10, 20, 0).atZone(almaty).toInstant().toEpochMilli();
        long nine = evening + HOUR_MS;
        long seven = evening + 11 * HOUR_MS;
        DeviceEvaluator evaluator = Fixtures.evaluator(curfew);
        Recorder recorder = new Recorder();
        walk(evaluator, recorder, new Noise(7, SIGMA), evening, 12 * HOUR_MS, ms -> 1_000, 0);
        assertEquals(2, recorder.events.size(), recorder.events.toString());
        Recorder.Seen opened = recorder.events.get(0);
        Recorder.Seen closed = recorder.events.get(1);
        assertTrue(opened.openingFixTimeMs() >= nine && opened.fixTimeMs() <= nine + 120_000);
        assertEquals(TransitionKind.VIOLATION_CLOSED, closed.kind());
        assertTrue(closed.fixTimeMs() >= seven && closed.fixTimeMs() < seven + STEP_MS);
        assertTrue(closed.explanation().contains("schedule window ended"), closed.explanation());
    }

    @Test
    void replayingTheSameFixesGivesTheSameTransitions() {
        List<Recorder.Seen> first = null;
        for (int run = 0; run < 2; run++) {
            DeviceEvaluator evaluator = Fixtures.evaluator(exclusion);
            Recorder recorder = new Recorder();
            walk(evaluator, recorder, new Noise(8, SIGMA), 0, 2 * HOUR_MS,
                    t -> 150 + 100 * Math.sin(t / 600_000.0), 45);
            if (first == null) {
                first = recorder.events;
                assertTrue(first.size() >= 2, "scenario must produce transitions: " + first);
            } else {
                assertEquals(first, recorder.events);
            }
        }
    }
}
