package io.kuzet.geofence.decision;

import static io.kuzet.geofence.decision.Fixtures.LAT;
import static io.kuzet.geofence.decision.Fixtures.LON;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kuzet.geofence.proximity.VictimPositions;
import io.kuzet.geofence.rule.Hysteresis;
import io.kuzet.geofence.rule.Rule;
import io.kuzet.geofence.rule.RuleKind;
import io.kuzet.geofence.rule.RuleSet;
import io.kuzet.geofence.rule.RuleSetSlot;
import io.kuzet.geofence.testing.Geo;
import io.kuzet.geofence.testing.Recorder;
import io.kuzet.geofence.zone.CircleZone;
import io.kuzet.geofence.zone.SharedZoneIndex;
import io.kuzet.geofence.zone.Zone;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class DeviceEvaluatorTest {
    private final Zone home = CircleZone.of("Victim home", LAT, LON, 200);
    private final Rule exclusion = Rule.builder(1, RuleKind.EXCLUSION, "Victim home").zone(home).build();
    private final double[] deepInside = Geo.offset(LAT, LON, 0, 50);
    private final double[] farOutside = Geo.offset(LAT, LON, 0, 2_000);

    private static void feed(DeviceEvaluator e, Recorder r, long fromMs, long toMs, double[] at, double accuracy) {
        for (long t = fromMs; t < toMs; t += 15_000) {
            e.evaluate(t, at[0], at[1], accuracy, r);
        }
    }

    @Test
    void lateFixesShowingAnEpisodeRaiseOneLateViolationWithoutOpeningLiveState() {
        DeviceEvaluator evaluator = Fixtures.evaluator(exclusion);
        Recorder recorder = new Recorder();
        feed(evaluator, recorder, 3_600_000, 7_200_000, farOutside, 10);
        FixOrder order = null;
        for (long t = 0; t < 1_800_000; t += 15_000) {
            order = evaluator.evaluate(t, deepInside[0], deepInside[1], 10, recorder);
        }
        assertEquals(FixOrder.LATE, order);
        assertEquals(1, recorder.events.size(), recorder.events.toString());
        Recorder.Seen late = recorder.events.get(0);
        assertEquals(TransitionKind.LATE_VIOLATION, late.kind());
        assertTrue(late.late());
        assertEquals(0, late.openingFixTimeMs());
        assertTrue(late.explanation().startsWith("Late data: Exclusion zone 'Victim home': 150 m inside"),
                late.explanation());
        assertFalse(evaluator.inViolation(1));
    }

    @Test
    void lateFixesDuringAnOpenLiveViolationRaiseNothingMore() {
        DeviceEvaluator evaluator = Fixtures.evaluator(exclusion);
        Recorder recorder = new Recorder();
        feed(evaluator, recorder, 3_600_000, 4_000_000, deepInside, 10);
        feed(evaluator, recorder, 0, 1_800_000, deepInside, 10);
        assertEquals(List.of(TransitionKind.VIOLATION_OPENED),
                recorder.events.stream().map(Recorder.Seen::kind).toList());
    }

    @Test
    void unknownAccuracyIsTreatedAsFiftyMetres() {
        DeviceEvaluator evaluator = Fixtures.evaluator(exclusion);
        Recorder recorder = new Recorder();
        double[] fortyInside = Geo.offset(LAT, LON, 0, 160);
        feed(evaluator, recorder, 0, 300_000, fortyInside, Double.NaN);
        assertEquals(List.of(), recorder.events, "40 m inside is within 50 m + 10 m grace");
        feed(evaluator, recorder, 300_000, 400_000, fortyInside, 10);
        assertEquals(1, recorder.of(TransitionKind.VIOLATION_OPENED).size());
    }

    @Test
    void ambiguousFixesLeaningInsideForLongerThanTheLimitAreReportedOnce() {
        Rule rule = Rule.builder(1, RuleKind.EXCLUSION, "Victim home").zone(home)
                .hysteresis(new Hysteresis(3, 30, 3, 60, 600)).build();
        DeviceEvaluator evaluator = Fixtures.evaluator(rule);
        Recorder recorder = new Recorder();
        double[] fiveInside = Geo.offset(LAT, LON, 0, 195);
        feed(evaluator, recorder, 0, 3_600_000, fiveInside, 30);
        assertEquals(1, recorder.events.size(), recorder.events.toString());
        Recorder.Seen seen = recorder.events.get(0);
        assertEquals(TransitionKind.UNCERTAIN_TOO_LONG, seen.kind());
        assertEquals(600_000, seen.durationMs());
        assertEquals("Exclusion zone 'Victim home' ambiguous for 10 min: 5 m inside (accuracy 30 m), 41 fixes",
                seen.explanation());
    }

    @Test
    void replacedRuleKeepsItsOpenViolationAndRemovedRuleClosesIt() {
        RuleSetSlot slot = new RuleSetSlot(RuleSet.of(List.of(exclusion)));
        DeviceEvaluator evaluator = new DeviceEvaluator(7, slot, new VictimPositions());
        Recorder recorder = new Recorder();
        feed(evaluator, recorder, 0, 120_000, deepInside, 10);
        assertTrue(evaluator.inViolation(1));
        Rule wider = Rule.builder(1, RuleKind.EXCLUSION, "Victim home").zone(CircleZone.of("Victim home", LAT, LON,
                300)).build();
        slot.publish(RuleSet.of(List.of(wider)));
        feed(evaluator, recorder, 120_000, 240_000, deepInside, 10);
        assertTrue(evaluator.inViolation(1));
        slot.publish(RuleSet.EMPTY);
        feed(evaluator, recorder, 240_000, 260_000, deepInside, 10);
        assertEquals(List.of(TransitionKind.VIOLATION_OPENED, TransitionKind.VIOLATION_CLOSED),
                recorder.events.stream().map(Recorder.Seen::kind).toList());
        assertTrue(recorder.events.get(1).explanation().endsWith("cleared: rule removed or changed; violation lasted"
                + " 4 min"), recorder.events.get(1).explanation());
    }

    @Test
    void sharedZoneSetNamesTheSchoolTheSubjectEntered() {
        List<Zone> schools = new ArrayList<>();
        java.util.Random random = new java.util.Random(5);
        for (int i = 0; i < 10_000; i++) {
            schools.add(CircleZone.of("School " + i, 42 + random.nextDouble() * 10, 60 + random.nextDouble() * 20,
                    100 + random.nextDouble() * 200));
        }
        schools.add(CircleZone.of("School 12 Almaty", LAT, LON, 150));
        Rule rule = Rule.builder(9, RuleKind.EXCLUSION, "Schools")
                .sharedZones(new SharedZoneIndex("Schools", schools)).build();
        DeviceEvaluator evaluator = Fixtures.evaluator(rule);
        Recorder recorder = new Recorder();
        feed(evaluator, recorder, 0, 600_000, farOutside, 10);
        feed(evaluator, recorder, 600_000, 900_000, Geo.offset(LAT, LON, 90, 80), 10);
        assertEquals(1, recorder.events.size(), recorder.events.toString());
        assertTrue(recorder.events.get(0).explanation().startsWith(
                "Exclusion zone 'Schools' (School 12 Almaty): 70 m inside"), recorder.events.get(0).explanation());
    }

    @Test
    void outOfRangeCoordinatesAreRejectedWithoutTouchingState() {
        DeviceEvaluator evaluator = Fixtures.evaluator(exclusion);
        Recorder recorder = new Recorder();
        assertEquals(FixOrder.REJECTED, evaluator.evaluate(1_000, 91, 0, 10, recorder));
        assertEquals(FixOrder.REJECTED, evaluator.evaluate(1_000, Double.NaN, 0, 10, recorder));
        assertEquals(Long.MIN_VALUE, evaluator.lastFixTimeMs());
    }
}
