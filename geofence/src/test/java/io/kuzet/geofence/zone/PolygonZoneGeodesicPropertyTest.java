package io.kuzet.geofence.zone;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kuzet.geofence.projection.FixPosition;
import io.kuzet.geofence.testing.Geo;
import java.util.Random;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.locationtech.jts.geom.Coordinate;
import org.locationtech.jts.geom.GeometryFactory;
import org.locationtech.jts.geom.Polygon;

/**
 * Property: for random polygons and points, the signed distance agrees with a brute-force oracle that measures
 * WGS84 geodesic distances (GeographicLib) to every edge, within 0.5 % (+0.5 m for straight-vs-geodesic edges).
 */
class PolygonZoneGeodesicPropertyTest {

    @ParameterizedTest(name = "latitude {0}")
    @ValueSource(doubles = {0, 40, 47.5, 56, 65})
    void signedDistanceMatchesGeodesicBruteForceOracle(double lat) {
        Random random = new Random(1000 + (long) lat);
        GeometryFactory factory = new GeometryFactory();
        FixPosition fix = new FixPosition();
        for (int round = 0; round < 12; round++) {
            double centreLon = 50 + random.nextDouble() * 30;
            double radius = 500 + random.nextDouble() * 45_000;
            double[] shell = Shapes.ring(random, lat, centreLon, radius * 0.6, radius, 5 + random.nextInt(40));
            PolygonZone zone = PolygonZone.of("p" + round, new double[][][] {{shell}});
            Coordinate[] coords = new Coordinate[shell.length / 2];
            for (int i = 0; i < coords.length; i++) {
                coords[i] = new Coordinate(shell[2 * i], shell[2 * i + 1]);
            }
            Polygon lonLat = factory.createPolygon(coords);
            for (int i = 0; i < 25; i++) {
                double[] p = Geo.offset(lat, centreLon, random.nextDouble() * 360, random.nextDouble() * radius * 1.4);
                double oracle = Double.POSITIVE_INFINITY;
                for (int k = 0; k + 1 < coords.length; k++) {
                    oracle = Math.min(oracle, Geo.distanceToEdgeMetres(p[0], p[1], coords[k].y, coords[k].x,
                            coords[k + 1].y, coords[k + 1].x));
                }
                double actual = zone.signedDistanceMetres(fix.set(p[0], p[1]));
                assertEquals(oracle, Math.abs(actual), 0.005 * oracle + 0.5, "distance at " + p[0] + "," + p[1]);
                if (oracle > 5) {
                    boolean inside = lonLat.contains(factory.createPoint(new Coordinate(p[1], p[0])));
                    assertTrue(inside == actual > 0, "side at " + p[0] + "," + p[1] + " oracle " + oracle);
                }
            }
        }
    }
}
