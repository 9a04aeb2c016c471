package io.kuzet.simulator.quality;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.api.io.TempDir;

/** A small fleet for one simulated day: the server must not do worse than the naive baseline on the same fixes. */
class QualityRunSmokeTest {
    @TempDir
    Path dataDir;

    @ParameterizedTest
    @EnumSource(QualityRun.DeviceProtocol.class)
    void serverRaisesNoMoreFalseZoneAlertsThanTheNaiveBaselineAndMissesNoSignificantViolation(QualityRun.DeviceProtocol protocol)
            throws Exception {
        QualityReport report = new QualityRun(7, 8, 1, protocol).run(dataDir, line -> { });
        assertTrue(report.fixesSent() > 8 * 500, "every bracelet reported through the day: " + report.fixesSent());
        assertTrue(report.server().falseAlerts() <= report.naiveBaseline().falseAlerts(), report.toString());
        assertEquals(report.server().significantEpisodes(), report.server().significantDetected(), report.toString());
    }
}
