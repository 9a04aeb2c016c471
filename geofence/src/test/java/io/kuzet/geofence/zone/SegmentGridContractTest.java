package io.kuzet.geofence.zone;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Random;
import org.junit.jupiter.api.Test;
import org.locationtech.jts.algorithm.locate.SimplePointInAreaLocator;
import org.locationtech.jts.geom.Coordinate;
import org.locationtech.jts.geom.Geometry;
import org.locationtech.jts.geom.GeometryFactory;
import org.locationtech.jts.geom.Location;

/** The grid must answer exactly what a brute-force JTS distance and point location answer, in the plane. */
class SegmentGridContractTest {
    private final GeometryFactory factory = new GeometryFactory();

    @Test
    void gridSignedDistanceEqualsBruteForceForRandomPolygonsWithHolesAndManyParts() {
        Random random = new Random(42);
        for (int round = 0; round < 60; round++) {
            double[][][] polygons = Shapes.randomPolygons(random, 43.2, 76.9);
            PolygonZone zone = PolygonZone.of("z" + round, polygons);
            Geometry g = zone.localGeometry();
            double extent = Math.max(g.getEnvelopeInternal().getWidth(), g.getEnvelopeInternal().getHeight());
            for (int i = 0; i < 400; i++) {
                double x = g.getEnvelopeInternal().centre().x + (random.nextDouble() - 0.5) * extent * 1.6;
                double y = g.getEnvelopeInternal().centre().y + (random.nextDouble() - 0.5) * extent * 1.6;
                Coordinate c = new Coordinate(x, y);
                double distance = g.getBoundary().distance(factory.createPoint(c));
                int location = SimplePointInAreaLocator.locate(c, g);
                double expected = location == Location.INTERIOR ? distance : -distance;
                assertEquals(expected, zone.signedDistanceLocal(x, y), 1e-6, "round " + round + " at " + c);
            }
        }
    }

    @Test
    void boundedDistanceNeverChangesTheDecisionTheExactDistanceGives() {
        Random random = new Random(99);
        for (int round = 0; round < 40; round++) {
            Zone zone = round % 2 == 0 ? PolygonZone.of("p", Shapes.randomPolygons(random, 51.1, 71.4))
                    : CorridorZone.of("c", Shapes.ring(random, 51.1, 71.4, 500, 3_000, 3 + random.nextInt(100)),
                            10 + random.nextDouble() * 200);
            Geometry g = zone.localGeometry();
            double extent = Math.max(g.getEnvelopeInternal().getWidth(), g.getEnvelopeInternal().getHeight());
            for (int i = 0; i < 2_000; i++) {
                double x = g.getEnvelopeInternal().centre().x + (random.nextDouble() - 0.5) * extent * 1.6;
                double y = g.getEnvelopeInternal().centre().y + (random.nextDouble() - 0.5) * extent * 1.6;
                double margin = random.nextDouble() * 300;
                double exact = zone.signedDistanceLocal(x, y);
                double bounded = zone.signedDistanceOrBound(x, y, margin);
                assertEquals(io.kuzet.geofence.decision.Decision.of(exact, margin),
                        io.kuzet.geofence.decision.Decision.of(bounded, margin), "round " + round);
                if (Math.abs(exact) <= margin) {
                    assertEquals(exact, bounded, 1e-9, "within the margin the distance is exact");
                }
            }
        }
    }

    @Test
    void corridorDistanceEqualsBruteForceDistanceToTheLineMinusHalfTheWidth() {
        Random random = new Random(7);
        for (int round = 0; round < 30; round++) {
            int n = 2 + random.nextInt(300);
            double[] line = new double[n * 2];
            double lon = 76.9;
            double lat = 43.2;
            for (int i = 0; i < n; i++) {
                lon += (random.nextDouble() - 0.3) * 0.002;
                lat += (random.nextDouble() - 0.5) * 0.002;
                line[2 * i] = lon;
                line[2 * i + 1] = lat;
            }
            CorridorZone zone = CorridorZone.of("route", line, 40);
            Coordinate[] local = new Coordinate[n];
            double[] ecef = new double[3];
            double[] xy = new double[2];
            for (int i = 0; i < n; i++) {
                zone.projection().project(line[2 * i + 1], line[2 * i], ecef, xy);
                local[i] = new Coordinate(xy[0], xy[1]);
            }
            Geometry g = factory.createLineString(local);
            for (int i = 0; i < 300; i++) {
                Coordinate near = local[random.nextInt(n)];
                double x = near.x + (random.nextDouble() - 0.5) * 600;
                double y = near.y + (random.nextDouble() - 0.5) * 600;
                double expected = 20 - g.distance(factory.createPoint(new Coordinate(x, y)));
                assertEquals(expected, zone.signedDistanceLocal(x, y), 1e-6);
            }
        }
    }
}
