package io.kuzet.simulator.gps;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kuzet.protocol.Fix;
import org.junit.jupiter.api.Test;

class GpsErrorModelTest {
    private static final GeoPoint TRUTH = new GeoPoint(43.2380, 76.9450);

    @Test
    void theSameSeedProducesTheSameFixes() {
        GpsErrorModel a = new GpsErrorModel(42, AccuracyReporting.HONEST);
        GpsErrorModel b = new GpsErrorModel(42, AccuracyReporting.HONEST);
        Fix fa = new Fix();
        Fix fb = new Fix();
        for (int i = 0; i < 500; i++) {
            a.observe(i * 60_000L, TRUTH, SkyView.INDOOR, 0, 0, fa);
            b.observe(i * 60_000L, TRUTH, SkyView.INDOOR, 0, 0, fb);
            assertEquals(fa.toString(), fb.toString());
        }
    }

    @Test
    void openSkyFixesStayWithinAFewMetresAndAlwaysHaveAFix() {
        GpsErrorModel model = new GpsErrorModel(1, AccuracyReporting.HONEST);
        Fix f = new Fix();
        double worst = 0;
        for (int i = 0; i < 2000; i++) {
            assertTrue(model.observe(i * 15_000L, TRUTH, SkyView.OPEN_SKY, 5, 90, f));
            worst = Math.max(worst, new GeoPoint(f.latE7 / 1e7, f.lonE7 / 1e7).distanceMetres(TRUTH));
        }
        assertTrue(worst < 30, "worst open-sky error " + worst);
    }

    @Test
    void honestAccuracyCoversTheTrueErrorFarMoreOftenThanOptimisticAccuracy() {
        assertTrue(coverage(AccuracyReporting.HONEST) > 0.9);
        assertTrue(coverage(AccuracyReporting.OPTIMISTIC) < 0.6);
    }

    @Test
    void aBlockedSkyNeverGivesAValidFix() {
        GpsErrorModel model = new GpsErrorModel(3, AccuracyReporting.HONEST);
        Fix f = new Fix();
        for (int i = 0; i < 100; i++) {
            assertTrue(!model.observe(i * 60_000L, TRUTH, SkyView.BLOCKED, 0, 0, f) && (f.flags & Fix.FLAG_VALID) == 0);
        }
    }

    private static double coverage(AccuracyReporting reporting) {
        GpsErrorModel model = new GpsErrorModel(7, reporting);
        Fix f = new Fix();
        int valid = 0;
        int covered = 0;
        for (int i = 0; i < 5000; i++) {
            if (model.observe(i * 60_000L, TRUTH, SkyView.URBAN, 0, 0, f)) {
                valid++;
                if (new GeoPoint(f.latE7 / 1e7, f.lonE7 / 1e7).distanceMetres(TRUTH) <= f.accuracyDm / 10.0) {
                    covered++;
                }
            }
        }
        return (double) covered / valid;
    }
}
