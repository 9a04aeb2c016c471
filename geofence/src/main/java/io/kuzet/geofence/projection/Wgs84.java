package io.kuzet.geofence.projection;

/**
 * WGS84 ellipsoid constants and the geodetic to earth-centred (ECEF) conversion every projection starts from.
 *
 * <p>Stateless and thread-safe; {@link #toEcef} costs four trigonometric calls and one square root.
 */
public final class Wgs84 {
    /** Semi-major axis in metres. */
    public static final double SEMI_MAJOR_METRES = 6_378_137.0;
    /** Flattening. */
    public static final double FLATTENING = 1 / 298.257223563;
    /** First eccentricity squared. */
    public static final double E2 = FLATTENING * (2 - FLATTENING);
    /** Mean radius in metres, used only for coarse far-away bounds. */
    public static final double MEAN_RADIUS_METRES = 6_371_008.8;

    private Wgs84() {
    }

    /** Writes the ECEF coordinates (metres) of a point on the ellipsoid surface into {@code out[0..2]}. */
    public static void toEcef(double latDegrees, double lonDegrees, double[] out) {
        double lat = Math.toRadians(latDegrees);
        double lon = Math.toRadians(lonDegrees);
        double sinLat = Math.sin(lat);
        double cosLat = Math.cos(lat);
        double n = SEMI_MAJOR_METRES / Math.sqrt(1 - E2 * sinLat * sinLat);
        out[0] = n * cosLat * Math.cos(lon);
        out[1] = n * cosLat * Math.sin(lon);
        out[2] = n * (1 - E2) * sinLat;
    }

    /** True when latitude and longitude are finite and within [-90, 90] and [-180, 180]. */
    public static boolean isValid(double latDegrees, double lonDegrees) {
        return latDegrees >= -90 && latDegrees <= 90 && lonDegrees >= -180 && lonDegrees <= 180;
    }
}
