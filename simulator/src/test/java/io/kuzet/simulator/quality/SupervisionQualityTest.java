package io.kuzet.simulator.quality;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The same fleet with and without adaptive supervision: with commands the core pursues every detected violation and
 * warns subjects approaching the victim's home, and those who turn back do not violate; without, nothing is sent.
 * With commands they go through the real command service (outbox in an embedded PostgreSQL, written on the bracelets'
 * connections, answered by them); the figures count what the bracelets carried out.
 */
class SupervisionQualityTest {
    @TempDir
    Path dataDir;

    @Test
    void warnedSubjectsWhoTurnBackPreventTheirViolationsAndEveryDetectedViolationIsPursued() throws Exception {
        QualityReport without = new QualityRun(5, 10, 1).exclusionVisitPerDay(0.8).supervision(false, 1.0, 300)
                .run(dataDir.resolve("without"), line -> { });
        QualityReport with = new QualityRun(5, 10, 1).exclusionVisitPerDay(0.8).supervision(true, 1.0, 300)
                .run(dataDir.resolve("with"), line -> { });
        System.out.println("supervision quality, without commands: " + without.server() + " " + without.supervision());
        System.out.println("supervision quality, with commands:    " + with.server() + " " + with.supervision());

        SupervisionFigures off = without.supervision();
        assertEquals(0, off.pursuits() + off.warnings() + off.turnedBack(), "no commands, no warnings felt");
        assertTrue(off.plannedExclusionEpisodes() > 0 && off.exclusionEpisodes() == off.plannedExclusionEpisodes(), off.toString());

        SupervisionFigures on = with.supervision();
        assertEquals(off.plannedExclusionEpisodes(), on.plannedExclusionEpisodes(), "the same fleet, the same plans");
        assertTrue(on.warnings() > 0 && on.turnedBack() > 0, on.toString());
        assertTrue(on.exclusionEpisodes() < on.plannedExclusionEpisodes(), "turning back prevented violations: " + on);
        assertTrue(on.pursuits() >= with.server().significantDetected(), "every detected violation is pursued: " + on);
    }
}
