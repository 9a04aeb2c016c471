package io.kuzet.simulator.fleet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.LocalDate;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import org.junit.jupiter.api.Test;

class FleetFactoryTest {
    private static final long MONDAY = LocalDate.of(2026, 6, 1).atStartOfDay(ZoneId.of("Asia/Almaty")).toInstant().toEpochMilli();

    @Test
    void theSameSeedGeneratesTheSameFleet() {
        Fleet a = new FleetFactory(5).create(20, MONDAY, 2);
        Fleet b = new FleetFactory(5).create(20, MONDAY, 2);
        for (int i = 0; i < 20; i++) {
            for (long t = MONDAY; t < a.endMs(); t += 600_000) {
                assertEquals(a.subjects().get(i).routine().sample(t), b.subjects().get(i).routine().sample(t));
            }
        }
    }

    @Test
    void subjectsSleepAtHomeAndAreElsewhereAtWorkdayNoon() {
        Fleet fleet = new FleetFactory(9).exclusionVisitPerDay(0).curfewBreachPerDay(0).create(30, MONDAY, 1);
        for (SimSubject s : fleet.subjects()) {
            long threeAm = at(s, LocalTime.of(3, 0));
            long noon = at(s, LocalTime.of(12, 0));
            TruthSample night = s.routine().sample(threeAm);
            assertEquals("home", night.activity());
            assertTrue(s.routine().sample(noon).point().distanceMetres(night.point()) > 100, s.displayName() + " went to work");
        }
    }

    @Test
    void plannedExclusionVisitsTakeTheSubjectDeepIntoTheZone() {
        Fleet fleet = new FleetFactory(11).exclusionVisitPerDay(1).create(10, MONDAY, 1);
        for (SimSubject s : fleet.subjects()) {
            ZoneSpec exclusion = s.zones().get(0);
            double deepest = -1e9;
            for (long t = fleet.startMs(); t < fleet.endMs(); t += 5_000) {
                deepest = Math.max(deepest, exclusion.violationDepthMetres(s.routine().sample(t).point()));
            }
            assertTrue(deepest > 100, s.displayName() + " reached " + deepest + " m inside");
        }
    }

    private static long at(SimSubject s, LocalTime time) {
        return ZonedDateTime.of(LocalDate.of(2026, 6, 1), time, s.city().timeZone()).toInstant().toEpochMilli();
    }
}
