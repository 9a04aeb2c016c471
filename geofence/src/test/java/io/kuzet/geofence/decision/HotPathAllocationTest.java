package io.kuzet.geofence.decision;

import static io.kuzet.geofence.decision.Fixtures.LAT;
import static io.kuzet.geofence.decision.Fixtures.LON;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.management.ThreadMXBean;
import io.kuzet.geofence.proximity.VictimPositions;
import io.kuzet.geofence.rule.Rule;
import io.kuzet.geofence.rule.RuleKind;
import io.kuzet.geofence.rule.RuleSet;
import io.kuzet.geofence.rule.RuleSetSlot;
import io.kuzet.geofence.schedule.Schedule;
import io.kuzet.geofence.schedule.WeeklyWindow;
import io.kuzet.geofence.testing.Geo;
import io.kuzet.geofence.zone.CircleZone;
import io.kuzet.geofence.zone.CorridorZone;
import io.kuzet.geofence.zone.SharedZoneIndex;
import io.kuzet.geofence.zone.Zone;
import java.lang.management.ManagementFactory;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** Steady-state evaluation (no transitions, within one schedule span) must not allocate. */
class HotPathAllocationTest {

    @Test
    void evaluatingFixesAgainstMixedRulesAllocatesNothingInSteadyState() {
        ZoneId almaty = ZoneId.of("Asia/Almaty");
        List<Rule> rules = new ArrayList<>();
        rules.add(Rule.builder(1, RuleKind.INCLUSION, "City").zone(Fixtures.regularPolygon("City", LAT, LON, 20_000,
                500)).build());
        rules.add(Rule.builder(2, RuleKind.EXCLUSION, "Victim home").zone(Fixtures.regularPolygon("Victim home",
                LAT + 0.01, LON, 300, 60)).build());
        rules.add(Rule.builder(3, RuleKind.CURFEW, "Home").zone(CircleZone.of("Home", LAT, LON, 80000))
                .schedule(new Schedule(almaty, List.of(WeeklyWindow.daily(LocalTime.of(21, 0), LocalTime.of(7, 0))),
                        List.of())).build());
        double[] end = Geo.offset(LAT, LON, 45, 5_000);
        rules.add(Rule.builder(4, RuleKind.INCLUSION, "Route").zone(CorridorZone.of("Route",
                new double[] {LON, LAT, end[1], end[0]}, 20_000)).build());
        rules.add(Rule.builder(5, RuleKind.PROXIMITY, "Victim").victim(900, 500, 2_000).build());
        List<Zone> schools = new ArrayList<>();
        Random random = new Random(3);
        for (int i = 0; i < 2_000; i++) {
            schools.add(CircleZone.of("School " + i, LAT + random.nextGaussian() * 0.2,
                    LON + random.nextGaussian() * 0.2, 150));
        }
        rules.add(Rule.builder(6, RuleKind.EXCLUSION, "Schools").sharedZones(new SharedZoneIndex("Schools", schools))
                .build());
        VictimPositions victims = new VictimPositions();
        victims.update(900, 0, LAT + 0.3, LON, 10);
        DeviceEvaluator evaluator = new DeviceEvaluator(7, new RuleSetSlot(RuleSet.of(rules)), victims);
        int[] transitions = new int[1];
        TransitionListener listener = e -> transitions[0]++;

        int n = 4_096;
        double[] lat = new double[n];
        double[] lon = new double[n];
        for (int i = 0; i < n; i++) {
            lat[i] = LAT + (random.nextDouble() - 0.5) * 0.004;
            lon[i] = LON + (random.nextDouble() - 0.5) * 0.004;
        }
        long t0 = LocalDateTime.of(2025, 6, 10, 22, 0).atZone(almaty).toInstant().toEpochMilli();
        ThreadMXBean threads = (ThreadMXBean) ManagementFactory.getThreadMXBean();
        long id = Thread.currentThread().getId();
        for (int i = 0; i < 200_000; i++) {
            evaluator.evaluate(t0 + i * 10L, lat[i & (n - 1)], lon[i & (n - 1)], 10, listener);
        }
        int before = transitions[0];
        long allocatedBefore = threads.getThreadAllocatedBytes(id);
        for (int i = 200_000; i < 400_000; i++) {
            evaluator.evaluate(t0 + i * 10L, lat[i & (n - 1)], lon[i & (n - 1)], 10, listener);
        }
        long allocated = threads.getThreadAllocatedBytes(id) - allocatedBefore;
        assertEquals(before, transitions[0], "the measured loop must be steady state");
        assertTrue(allocated < 4_096, "allocated " + allocated + " bytes over 200,000 fixes x 6 rules");
    }
}
