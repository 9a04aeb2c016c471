package io.kuzet.bench.geofence;

import io.kuzet.geofence.projection.FixPosition;
import io.kuzet.geofence.zone.CircleZone;
import io.kuzet.geofence.zone.CorridorZone;
import io.kuzet.geofence.zone.PolygonZone;
import io.kuzet.geofence.zone.Zone;
import java.util.Random;

/** Deterministic zone and fix generators for the geofence benchmarks (seeded, so every run measures the same). */
final class BenchZones {
    static final double LAT = 43.238;
    static final double LON = 76.945;
    private static final double METRES_PER_DEGREE = 111_195;

    private BenchZones() {
    }

    static double[] offset(double lat, double lon, double azimuthDegrees, double metres) {
        double a = Math.toRadians(azimuthDegrees);
        return new double[] {lat + metres * Math.cos(a) / METRES_PER_DEGREE,
            lon + metres * Math.sin(a) / (METRES_PER_DEGREE * Math.cos(Math.toRadians(lat)))};
    }

    /** Star-shaped polygon with radii between 0.7 and 1.0 of {@code radiusMetres}. */
    static PolygonZone polygon(Random random, String name, double lat, double lon, double radiusMetres, int vertices) {
        double[] ring = new double[(vertices + 1) * 2];
        for (int i = 0; i < vertices; i++) {
            double[] p = offset(lat, lon, 360.0 * i / vertices, radiusMetres * (0.7 + 0.3 * random.nextDouble()));
            ring[2 * i] = p[1];
            ring[2 * i + 1] = p[0];
        }
        ring[2 * vertices] = ring[0];
        ring[2 * vertices + 1] = ring[1];
        return PolygonZone.of(name, new double[][][] {{ring}});
    }

    /** A wandering line of {@code vertices} points starting at (lat, lon). */
    static CorridorZone corridor(Random random, String name, double lat, double lon, int vertices, double widthMetres) {
        double[] line = new double[vertices * 2];
        double heading = random.nextDouble() * 360;
        for (int i = 0; i < vertices; i++) {
            line[2 * i] = lon;
            line[2 * i + 1] = lat;
            heading += (random.nextDouble() - 0.5) * 40;
            double[] next = offset(lat, lon, heading, 40);
            lat = next[0];
            lon = next[1];
        }
        return CorridorZone.of(name, line, widthMetres);
    }

    static CircleZone circle(String name, double lat, double lon, double radiusMetres) {
        return CircleZone.of(name, lat, lon, radiusMetres);
    }

    /** True when the position is farther than {@code clearanceMetres} from every zone's boundary. */
    static boolean clear(Zone[] zones, double lat, double lon, double clearanceMetres) {
        FixPosition p = new FixPosition().set(lat, lon);
        for (Zone zone : zones) {
            if (Math.abs(zone.signedDistanceMetres(p)) <= clearanceMetres) {
                return false;
            }
        }
        return true;
    }
}
