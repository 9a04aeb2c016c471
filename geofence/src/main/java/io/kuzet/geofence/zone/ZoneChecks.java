package io.kuzet.geofence.zone;

import io.kuzet.geofence.GeofenceValidationException;
import io.kuzet.geofence.projection.LocalProjection;
import io.kuzet.geofence.projection.Wgs84;

/** Validation shared by the zone factories; each failure names the zone and the offending value. */
final class ZoneChecks {
    private ZoneChecks() {
    }

    static String label(String name) {
        if (name == null || name.isBlank()) {
            throw new GeofenceValidationException("Zone name is missing: every zone needs a name for explanations");
        }
        return "Zone '" + name + "'";
    }

    static void checkPosition(String label, double lon, double lat) {
        if (!Wgs84.isValid(lat, lon)) {
            throw new GeofenceValidationException(label + ": coordinate [" + lon + ", " + lat
                    + "] is out of range (GeoJSON order is [longitude, latitude], longitude -180..180,"
                    + " latitude -90..90)");
        }
    }

    /** Projects [lon, lat] pairs into the plane, failing when one lies beyond the projection's valid radius. */
    static double[] project(String label, LocalProjection projection, double[] lonLat) {
        double[] out = new double[lonLat.length];
        double[] ecef = new double[3];
        double[] xy = new double[2];
        for (int i = 0; i < lonLat.length; i += 2) {
            projection.project(lonLat[i + 1], lonLat[i], ecef, xy);
            if (Math.hypot(xy[0], xy[1]) > LocalProjection.MAX_RADIUS_METRES
                    || projection.up(ecef[0], ecef[1], ecef[2]) < -LocalProjection.MAX_RADIUS_METRES) {
                throw new GeofenceValidationException(label + ": too large, vertex [" + lonLat[i] + ", "
                        + lonLat[i + 1] + "] lies more than " + (long) (LocalProjection.MAX_RADIUS_METRES / 1000)
                        + " km from the zone centre; split it into smaller zones");
            }
            out[i] = xy[0];
            out[i + 1] = xy[1];
        }
        return out;
    }

    /** Degree bounding box of [lon, lat] pairs as {minLat, minLon, maxLat, maxLon}. */
    static double[] degreeBox(double[] lonLat) {
        double[] box = {90, 180, -90, -180};
        for (int i = 0; i < lonLat.length; i += 2) {
            box[0] = Math.min(box[0], lonLat[i + 1]);
            box[1] = Math.min(box[1], lonLat[i]);
            box[2] = Math.max(box[2], lonLat[i + 1]);
            box[3] = Math.max(box[3], lonLat[i]);
        }
        return box;
    }

    /** Degree box widened by metres, so fixes near but outside still find the zone. */
    static double[] widen(double[] box, double metres) {
        double dLat = Math.toDegrees(metres / (Wgs84.SEMI_MAJOR_METRES * (1 - Wgs84.E2))) * 1.01;
        double cosLat = Math.max(Math.cos(Math.toRadians(Math.max(Math.abs(box[0]), Math.abs(box[2])))), 1e-6);
        double dLon = dLat / cosLat;
        return new double[] {box[0] - dLat, box[1] - dLon, box[2] + dLat, box[3] + dLon};
    }
}
