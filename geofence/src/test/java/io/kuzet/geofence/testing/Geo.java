package io.kuzet.geofence.testing;

import net.sf.geographiclib.Geodesic;
import net.sf.geographiclib.GeodesicData;
import net.sf.geographiclib.GeodesicLine;

/** GeographicLib as the oracle: exact WGS84 geodesics for offsets and distances in tests. */
public final class Geo {
    private Geo() {
    }

    /** [lat, lon] reached by walking {@code metres} on azimuth {@code azimuthDegrees} from (lat, lon). */
    public static double[] offset(double lat, double lon, double azimuthDegrees, double metres) {
        GeodesicData d = Geodesic.WGS84.Direct(lat, lon, azimuthDegrees, metres);
        return new double[] {d.lat2, d.lon2};
    }

    public static double distanceMetres(double lat1, double lon1, double lat2, double lon2) {
        return Geodesic.WGS84.Inverse(lat1, lon1, lat2, lon2).s12;
    }

    /** Geodesic distance from a point to the geodesic segment A-B, by golden-section search along the segment. */
    public static double distanceToEdgeMetres(double lat, double lon, double latA, double lonA, double latB,
                                              double lonB) {
        GeodesicLine line = Geodesic.WGS84.InverseLine(latA, lonA, latB, lonB);
        double length = line.Distance();
        double lo = 0;
        double hi = length;
        double phi = (Math.sqrt(5) - 1) / 2;
        for (int i = 0; i < 80 && hi - lo > 0.01; i++) {
            double m1 = hi - phi * (hi - lo);
            double m2 = lo + phi * (hi - lo);
            if (at(line, m1, lat, lon) < at(line, m2, lat, lon)) {
                hi = m2;
            } else {
                lo = m1;
            }
        }
        double best = Math.min(at(line, 0, lat, lon), at(line, length, lat, lon));
        return Math.min(best, at(line, (lo + hi) / 2, lat, lon));
    }

    private static double at(GeodesicLine line, double s, double lat, double lon) {
        GeodesicData p = line.Position(s);
        return distanceMetres(lat, lon, p.lat2, p.lon2);
    }
}
