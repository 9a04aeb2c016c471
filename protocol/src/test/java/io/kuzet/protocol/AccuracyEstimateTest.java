package io.kuzet.protocol;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class AccuracyEstimateTest {
    @ParameterizedTest(name = "{0}: {1} satellites, HDOP x10 {2}, reported {3} dm -> {4} dm from {5}")
    @CsvSource({
            "GT06 open sky,        10, -1,  -1, 250, ESTIMATED_SATELLITES",
            "GT06 indoors,          5, -1,  -1, 500, ESTIMATED_SATELLITES",
            "GT06 four satellites,  4, -1,  -1, 750, ESTIMATED_SATELLITES",
            "Watch 2D fix,          3, -1,  -1, 1000, ESTIMATED_SATELLITES",
            "network position,      0, -1,  -1, -1, DEFAULT",
            "HDOP 1.2,              7, 12,  -1, 120, ESTIMATED_HDOP",
            "HDOP 0.4 floored,      7,  4,  -1, 50, ESTIMATED_HDOP",
            "reported stays,        9, 12,  80, 80, REPORTED",
    })
    void estimatesAccuracyFromWhatTheProtocolGives(String name, int satellites, int hdopX10, int reportedDm,
                                                   int expectedDm, AccuracySource expectedSource) {
        Fix fix = new Fix().clear();
        fix.flags = Fix.FLAG_VALID;
        fix.satellites = satellites;
        fix.hdopX10 = hdopX10;
        fix.accuracyDm = reportedDm;
        AccuracyEstimate.fill(fix);
        assertEquals(expectedDm, fix.accuracyDm);
        assertEquals(expectedSource, fix.accuracySource());
    }

    @ParameterizedTest(name = "invalid fix with {0} satellites gets no estimate")
    @CsvSource({"0", "9"})
    void aFixWithoutGpsFixGetsNoEstimate(int satellites) {
        Fix fix = new Fix().clear();
        fix.satellites = satellites;
        AccuracyEstimate.fill(fix);
        assertEquals(Fix.ACCURACY_UNKNOWN, fix.accuracyDm);
        assertEquals(AccuracySource.DEFAULT, fix.accuracySource());
    }
}
