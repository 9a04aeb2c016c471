package io.kuzet.geofence.projection;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kuzet.geofence.testing.Geo;
import io.kuzet.geofence.zone.CircleZone;
import java.util.Random;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class LocalProjectionTest {

    @ParameterizedTest(name = "latitude {0}")
    @ValueSource(doubles = {0, 40, 43.25, 48, 51.1, 56, 65})
    void planeDistancesAgreeWithGeodesicsWithinHalfAPercentAcrossAHundredKilometreZone(double lat) {
        Random random = new Random(Double.hashCode(lat));
        double lon = 76.9;
        LocalProjection projection = new LocalProjection(lat, lon);
        double[] ecef = new double[3];
        double[] a = new double[2];
        double[] b = new double[2];
        double worst = 0;
        for (int i = 0; i < 2_000; i++) {
            double[] p = Geo.offset(lat, lon, random.nextDouble() * 360, random.nextDouble() * 50_000);
            double[] q = Geo.offset(lat, lon, random.nextDouble() * 360, random.nextDouble() * 50_000);
            double geodesic = Geo.distanceMetres(p[0], p[1], q[0], q[1]);
            if (geodesic < 100) {
                continue;
            }
            projection.project(p[0], p[1], ecef, a);
            projection.project(q[0], q[1], ecef, b);
            double planar = Math.hypot(a[0] - b[0], a[1] - b[1]);
            worst = Math.max(worst, Math.abs(planar - geodesic) / geodesic);
        }
        assertTrue(worst < 0.005, "worst relative error " + worst);
    }

    @ParameterizedTest(name = "latitude {0}")
    @ValueSource(doubles = {0, 40, 56, 65})
    void circleDistanceMatchesGeodesicDistanceFromCentreUpToOneHundredKilometres(double lat) {
        CircleZone circle = CircleZone.of("c", lat, 71.4, 1_000);
        FixPosition fix = new FixPosition();
        for (double metres : new double[] {10, 500, 999, 1_001, 5_000, 50_000, 100_000}) {
            double[] p = Geo.offset(lat, 71.4, 37, metres);
            double expected = 1_000 - metres;
            double actual = circle.signedDistanceMetres(fix.set(p[0], p[1]));
            assertEquals(expected, actual, Math.max(0.005 * Math.abs(expected), 0.01), "at " + metres + " m");
        }
    }
}
