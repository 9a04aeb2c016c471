package io.kuzet.simulator.scenario;

import io.kuzet.simulator.gps.GeoPoint;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A subject's true position from scenario waypoints: linear between waypoints, held before the first and after the
 * last. Immutable and thread-safe.
 */
final class ScriptedTrack {
    private final long[] timesMs;
    private final GeoPoint[] points;

    ScriptedTrack(List<ScenarioFile.Waypoint> waypoints, long startMs, Map<String, io.kuzet.simulator.fleet.ZoneSpec> zones) {
        if (waypoints.isEmpty()) {
            throw new IllegalArgumentException("a subject needs at least one waypoint");
        }
        List<ScenarioFile.Waypoint> sorted = new ArrayList<>(waypoints);
        sorted.sort((a, b) -> Long.compare(Durations.toMillis(a.at), Durations.toMillis(b.at)));
        timesMs = new long[sorted.size()];
        points = new GeoPoint[sorted.size()];
        for (int i = 0; i < sorted.size(); i++) {
            ScenarioFile.Waypoint w = sorted.get(i);
            timesMs[i] = startMs + Durations.toMillis(w.at);
            GeoPoint base;
            if (w.zone != null) {
                io.kuzet.simulator.fleet.ZoneSpec z = zones.get(w.zone);
                if (z == null) {
                    throw new IllegalArgumentException("waypoint names unknown zone " + w.zone);
                }
                base = z.centre();
            } else if (w.lat != null && w.lon != null) {
                base = new GeoPoint(w.lat, w.lon);
            } else {
                throw new IllegalArgumentException("waypoint at " + w.at + " needs lat/lon or a zone");
            }
            points[i] = base.offsetMetres(w.eastM, w.northM);
        }
    }

    GeoPoint at(long timeMs) {
        if (timeMs <= timesMs[0]) {
            return points[0];
        }
        for (int i = 1; i < timesMs.length; i++) {
            if (timeMs <= timesMs[i]) {
                double f = (double) (timeMs - timesMs[i - 1]) / Math.max(1, timesMs[i] - timesMs[i - 1]);
                return points[i - 1].towards(points[i], f);
            }
        }
        return points[points.length - 1];
    }

    /** Speed between the waypoints around {@code timeMs}, km/h. */
    double speedKmhAt(long timeMs) {
        for (int i = 1; i < timesMs.length; i++) {
            if (timeMs <= timesMs[i] && timeMs > timesMs[i - 1]) {
                return points[i - 1].distanceMetres(points[i]) / ((timesMs[i] - timesMs[i - 1]) / 1000.0) * 3.6;
            }
        }
        return 0;
    }
}
