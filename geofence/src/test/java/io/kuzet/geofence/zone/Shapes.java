package io.kuzet.geofence.zone;

import io.kuzet.geofence.testing.Geo;
import java.util.Random;

/** Random valid test polygons: star-shaped shells with an optional hole, sometimes two parts. */
final class Shapes {
    private Shapes() {
    }

    static double[][][] randomPolygons(Random random, double lat, double lon) {
        boolean twoParts = random.nextInt(4) == 0;
        double radius = 200 + random.nextDouble() * 20_000;
        double[][] first = starWithHole(random, lat, lon, radius, 4 + random.nextInt(200));
        if (!twoParts) {
            return new double[][][] {first};
        }
        double[] far = Geo.offset(lat, lon, 90, radius * 2.5);
        return new double[][][] {first, starWithHole(random, far[0], far[1], radius * 0.5, 4 + random.nextInt(50))};
    }

    /** A star-shaped ring (radius between 0.6 and 1.0 of {@code radius}), plus a hole inside 0.4 half the time. */
    static double[][] starWithHole(Random random, double lat, double lon, double radius, int vertices) {
        double[] shell = ring(random, lat, lon, radius * 0.6, radius, vertices);
        if (random.nextBoolean()) {
            return new double[][] {shell};
        }
        return new double[][] {shell, ring(random, lat, lon, radius * 0.1, radius * 0.4, 3 + random.nextInt(20))};
    }

    static double[] ring(Random random, double lat, double lon, double minR, double maxR, int vertices) {
        double[] ring = new double[(vertices + 1) * 2];
        for (int i = 0; i < vertices; i++) {
            double azimuth = 360.0 * i / vertices;
            double[] p = Geo.offset(lat, lon, azimuth, minR + random.nextDouble() * (maxR - minR));
            ring[2 * i] = p[1];
            ring[2 * i + 1] = p[0];
        }
        ring[2 * vertices] = ring[0];
        ring[2 * vertices + 1] = ring[1];
        return ring;
    }
}
