package io.kuzet.simulator.fleet;

import io.kuzet.simulator.gps.GeoPoint;
import io.kuzet.simulator.gps.SkyView;
import java.util.List;

/** One piece of a routine over [startMs, endMs): staying at a place or travelling along a path. Immutable. */
public sealed interface Segment permits Segment.Stay, Segment.Travel {
    long startMs();

    long endMs();

    TruthSample sample(long timeMs);

    /** Staying at {@code point}; {@code sky} is what the bracelet sees there (indoors at home and work). */
    record Stay(long startMs, long endMs, GeoPoint point, SkyView sky, String activity) implements Segment {
        @Override
        public TruthSample sample(long timeMs) {
            return new TruthSample(point, sky, 0, 0, activity);
        }
    }

    /** Travelling at constant speed along the polyline {@code path}; {@code blockedFromMs..blockedToMs} is a tunnel. */
    record Travel(long startMs, long endMs, List<GeoPoint> path, TravelMode mode, String activity,
                  long blockedFromMs, long blockedToMs) implements Segment {
        @Override
        public TruthSample sample(long timeMs) {
            double travelledMetres = mode.speedMetresPerSecond() * Math.max(0, timeMs - startMs) / 1000.0;
            SkyView sky = timeMs >= blockedFromMs && timeMs < blockedToMs ? SkyView.BLOCKED : mode.sky();
            for (int i = 1; i < path.size(); i++) {
                GeoPoint a = path.get(i - 1);
                GeoPoint b = path.get(i);
                double leg = a.distanceMetres(b);
                if (travelledMetres <= leg || i == path.size() - 1) {
                    double f = leg == 0 ? 1 : Math.min(1, travelledMetres / leg);
                    return new TruthSample(a.towards(b, f), sky, f >= 1 ? 0 : mode.speedKmh(), a.headingDegTo(b), activity);
                }
                travelledMetres -= leg;
            }
            return new TruthSample(path.get(path.size() - 1), sky, 0, 0, activity);
        }

        /** Length of a path in metres. */
        public static double lengthMetres(List<GeoPoint> path) {
            double sum = 0;
            for (int i = 1; i < path.size(); i++) {
                sum += path.get(i - 1).distanceMetres(path.get(i));
            }
            return sum;
        }
    }
}
