package io.kuzet.geofence.decision;

import static io.kuzet.geofence.decision.Fixtures.LAT;
import static io.kuzet.geofence.decision.Fixtures.LON;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kuzet.geofence.proximity.VictimPositions;
import io.kuzet.geofence.rule.Rule;
import io.kuzet.geofence.rule.RuleKind;
import io.kuzet.geofence.rule.RuleSet;
import io.kuzet.geofence.rule.RuleSetSlot;
import io.kuzet.geofence.testing.Geo;
import io.kuzet.geofence.testing.Noise;
import io.kuzet.geofence.testing.Recorder;
import java.util.List;
import org.junit.jupiter.api.Test;

/** An offender walks towards a victim who is walking east; victim fixes every minute, offender fixes every 15 s. */
class ProximityScenarioTest {
    private static final long VICTIM_ID = 900;
    private final Rule proximity = Rule.builder(4, RuleKind.PROXIMITY, "Victim A").victim(VICTIM_ID, 500, 1_500)
            .build();

    /** Runs 40 minutes; at {@code victimSilentFromMs} the victim sits down and her unit stops reporting. */
    private Recorder approach(long victimSilentFromMs) {
        VictimPositions victims = new VictimPositions();
        DeviceEvaluator offender = new DeviceEvaluator(7, new RuleSetSlot(RuleSet.of(List.of(proximity))), victims);
        Recorder recorder = new Recorder();
        Noise offenderNoise = new Noise(11, 10);
        Noise victimNoise = new Noise(12, 8);
        double[] offenderAt = Geo.offset(LAT, LON, 0, 3_000);
        for (long t = 0; t < 40 * 60_000; t += 15_000) {
            double[] victimTruth = Geo.offset(LAT, LON, 90, 1.2 * Math.min(t, victimSilentFromMs) / 1000.0);
            if (t % 60_000 == 0 && t < victimSilentFromMs) {
                double[] v = victimNoise.around(victimTruth[0], victimTruth[1]);
                victims.update(VICTIM_ID, t, v[0], v[1], 8);
            }
            double gap = Geo.distanceMetres(offenderAt[0], offenderAt[1], victimTruth[0], victimTruth[1]);
            if (gap > 100) {
                double azimuth = net.sf.geographiclib.Geodesic.WGS84.Inverse(offenderAt[0], offenderAt[1],
                        victimTruth[0], victimTruth[1]).azi1;
                offenderAt = Geo.offset(offenderAt[0], offenderAt[1], azimuth, 2.0 * 15);
            }
            double[] fix = offenderNoise.around(offenderAt[0], offenderAt[1]);
            offender.evaluate(t, fix[0], fix[1], 10, recorder);
        }
        return recorder;
    }

    @Test
    void offenderApproachingAMovingVictimOpensExactlyOneViolationAfterOneWarning() {
        Recorder recorder = approach(Long.MAX_VALUE);
        assertEquals(List.of(TransitionKind.PROXIMITY_WARNING, TransitionKind.VIOLATION_OPENED),
                recorder.events.stream().map(Recorder.Seen::kind).toList());
        Recorder.Seen opened = recorder.events.get(1);
        assertTrue(opened.signedMetres() > 0, "closer than the limit");
        assertTrue(opened.explanation().matches("Proximity to victim unit 900 'Victim A' \\(limit 500 m, warning"
                + " 1500 m\\): \\d+ m apart \\(accuracy 10 m \\+ victim 8 m\\), 2 fixes over 15 s"),
                opened.explanation());
        assertFalse(opened.explanation().contains("stale"));
    }

    @Test
    void aWarningEndsWhenTheOffenderIsBeyondTheWarningDistanceAgainAndTheNextApproachWarnsAgain() {
        VictimPositions victims = new VictimPositions();
        DeviceEvaluator offender = new DeviceEvaluator(7, new RuleSetSlot(RuleSet.of(List.of(proximity))), victims);
        Recorder recorder = new Recorder();
        Noise noise = new Noise(13, 10);
        // 3 km north, 1 km north (within the 1.5 km warning, outside the 500 m limit), 3 km, 1 km again: 10 min each
        double[] legs = {3_000, 1_000, 3_000, 1_000};
        long t = 0;
        for (double metres : legs) {
            for (int i = 0; i < 40; i++, t += 15_000) {
                if (t % 60_000 == 0) {
                    victims.update(VICTIM_ID, t, LAT, LON, 8);
                }
                double[] at = Geo.offset(LAT, LON, 0, metres);
                double[] fix = noise.around(at[0], at[1]);
                offender.evaluate(t, fix[0], fix[1], 10, recorder);
            }
        }
        assertEquals(List.of(TransitionKind.PROXIMITY_WARNING, TransitionKind.PROXIMITY_WARNING_ENDED,
                        TransitionKind.PROXIMITY_WARNING), recorder.events.stream().map(Recorder.Seen::kind).toList());
        Recorder.Seen ended = recorder.events.get(1);
        assertEquals(recorder.events.get(0).fixTimeMs(), ended.openingFixTimeMs(), "names the warning it ends");
        assertTrue(ended.explanation().contains("moved away") && ended.explanation().contains("beyond the warning distance"),
                ended.explanation());
    }

    @Test
    void staleVictimPositionIsStatedInTheExplanation() {
        Recorder recorder = approach(12 * 60_000);
        List<Recorder.Seen> opened = recorder.of(TransitionKind.VIOLATION_OPENED);
        assertEquals(1, opened.size(), recorder.events.toString());
        assertTrue(opened.get(0).victimAgeMs() > 5 * 60_000);
        assertTrue(opened.get(0).explanation().contains("; victim position stale, "), opened.get(0).explanation());
    }

    @Test
    void withoutAnyVictimPositionTheDecisionIsUncertainAndNothingOpens() {
        VictimPositions victims = new VictimPositions();
        DeviceEvaluator offender = new DeviceEvaluator(7, new RuleSetSlot(RuleSet.of(List.of(proximity))), victims);
        Recorder recorder = new Recorder();
        for (long t = 0; t < 3_600_000; t += 15_000) {
            offender.evaluate(t, LAT, LON, 10, recorder);
        }
        assertEquals(List.of(), recorder.events);
    }
}
