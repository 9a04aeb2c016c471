package io.kuzet.geofence.decision;

import io.kuzet.geofence.proximity.VictimPositions;
import io.kuzet.geofence.rule.Rule;
import io.kuzet.geofence.rule.RuleSet;
import io.kuzet.geofence.rule.RuleSetSlot;
import io.kuzet.geofence.testing.Geo;
import io.kuzet.geofence.zone.PolygonZone;
import java.util.List;

/** Zones and evaluators shared by the scenario tests. */
final class Fixtures {
    static final double LAT = 43.238;
    static final double LON = 76.945;

    private Fixtures() {
    }

    /** A regular polygon with {@code vertices} corners on a circle of {@code radiusMetres} around (lat, lon). */
    static PolygonZone regularPolygon(String name, double lat, double lon, double radiusMetres, int vertices) {
        double[] ring = new double[(vertices + 1) * 2];
        for (int i = 0; i <= vertices; i++) {
            double[] p = Geo.offset(lat, lon, 360.0 * (i % vertices) / vertices, radiusMetres);
            ring[2 * i] = p[1];
            ring[2 * i + 1] = p[0];
        }
        return PolygonZone.of(name, new double[][][] {{ring}});
    }

    static DeviceEvaluator evaluator(Rule... rules) {
        return new DeviceEvaluator(7, new RuleSetSlot(RuleSet.of(List.of(rules))), new VictimPositions());
    }
}
