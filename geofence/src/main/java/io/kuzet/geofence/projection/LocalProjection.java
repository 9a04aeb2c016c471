package io.kuzet.geofence.projection;

/**
 * A zone's own metric plane: the local east-north tangent plane of the WGS84 ellipsoid at the zone's centre
 * (an orthographic projection through ECEF coordinates).
 *
 * <p>Why this projection: it is exact at the origin on the ellipsoid (no spherical radius), needs no
 * trigonometry per fix once the fix is in ECEF (nine multiplications), and its only distortion is a radial scale
 * of cos(c) at angular distance c from the origin: 0.003 % at 50 km, 0.11 % at 300 km. Zones are therefore limited
 * to {@link #MAX_RADIUS_METRES} from their origin. See RATIONALE.md.
 *
 * <p>Immutable and thread-safe; {@link #project} allocates nothing.
 */
public final class LocalProjection {
    /** Farthest a zone vertex may lie from the zone origin: distance error stays below 0.12 %. */
    public static final double MAX_RADIUS_METRES = 300_000;
    /**
     * A point whose "up" offset is below this lies more than ~1,000 km from the origin (or on the far side of the
     * globe, where the orthographic plane folds); it is reported as {@link Double#NaN} coordinates.
     */
    private static final double FAR_UP_METRES = -80_000;

    private final double originLatDegrees;
    private final double originLonDegrees;
    private final double ox;
    private final double oy;
    private final double oz;
    private final double sinLat;
    private final double cosLat;
    private final double sinLon;
    private final double cosLon;

    public LocalProjection(double originLatDegrees, double originLonDegrees) {
        this.originLatDegrees = originLatDegrees;
        this.originLonDegrees = originLonDegrees;
        double[] o = new double[3];
        Wgs84.toEcef(originLatDegrees, originLonDegrees, o);
        ox = o[0];
        oy = o[1];
        oz = o[2];
        double lat = Math.toRadians(originLatDegrees);
        double lon = Math.toRadians(originLonDegrees);
        sinLat = Math.sin(lat);
        cosLat = Math.cos(lat);
        sinLon = Math.sin(lon);
        cosLon = Math.cos(lon);
    }

    public double originLatDegrees() {
        return originLatDegrees;
    }

    public double originLonDegrees() {
        return originLonDegrees;
    }

    /** East coordinate in metres of an ECEF point. */
    public double east(double x, double y, double z) {
        return -sinLon * (x - ox) + cosLon * (y - oy);
    }

    /** North coordinate in metres of an ECEF point. */
    public double north(double x, double y, double z) {
        return -sinLat * cosLon * (x - ox) - sinLat * sinLon * (y - oy) + cosLat * (z - oz);
    }

    /** Up offset in metres (negative: below the tangent plane). */
    public double up(double x, double y, double z) {
        return cosLat * cosLon * (x - ox) + cosLat * sinLon * (y - oy) + sinLat * (z - oz);
    }

    /** True when the point is close enough (under ~1,000 km) for its projected coordinates to be meaningful. */
    public boolean isNear(FixPosition p) {
        return up(p.ecefX(), p.ecefY(), p.ecefZ()) > FAR_UP_METRES;
    }

    /** Writes east and north metres of a geodetic point into {@code out[0..1]}; used when building zones. */
    public void project(double latDegrees, double lonDegrees, double[] ecefScratch, double[] out) {
        Wgs84.toEcef(latDegrees, lonDegrees, ecefScratch);
        out[0] = east(ecefScratch[0], ecefScratch[1], ecefScratch[2]);
        out[1] = north(ecefScratch[0], ecefScratch[1], ecefScratch[2]);
    }
}
