package io.kuzet.simulator.quality;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;

class QualityScoreTest {
    private static final Episode DEEP = new Episode(1, 11, 1_000_000, 1_600_000, 150, 20);
    private static final Episode SHALLOW = new Episode(1, 11, 5_000_000, 5_060_000, 10, 2);

    @Test
    void anAlertInsideATrueEpisodeIsTrueAndDetectsIt() {
        QualityScore s = QualityScore.score("m", List.of(DEEP), List.of(new RaisedAlert(1, 11, 1_045_000, 1_050_000)), 1);
        assertEquals(1, s.trueAlerts());
        assertEquals(1.0, s.recallSignificant());
        assertEquals(50.0, s.delayP50Seconds());
    }

    @Test
    void anAlertFarFromEveryEpisodeOrOnAnotherRuleIsFalse() {
        QualityScore s = QualityScore.score("m", List.of(DEEP), List.of(new RaisedAlert(1, 11, 9_000_000, 9_000_000),
                new RaisedAlert(1, 12, 1_045_000, 1_045_000)), 2);
        assertEquals(2, s.falseAlerts());
        assertEquals(1.0, s.falseAlertsPerSubjectDay());
        assertEquals(0.0, s.recallSignificant());
    }

    @Test
    void shallowShortEpisodesDoNotCountTowardsSignificantRecall() {
        QualityScore s = QualityScore.score("m", List.of(DEEP, SHALLOW), List.of(new RaisedAlert(1, 11, 1_100_000, 1_100_000)), 1);
        assertEquals(1, s.significantEpisodes());
        assertEquals(1.0, s.recallSignificant());
        assertEquals(0.5, s.recallAll());
    }
}
