package io.kuzet.geofence.zone;

import io.kuzet.geofence.projection.FixPosition;
import io.kuzet.geofence.projection.LocalProjection;
import org.locationtech.jts.geom.Geometry;

/**
 * A zone prepared for evaluation: its own {@link LocalProjection}, a bounding box in that plane for the
 * prefilter, and an exact signed distance to its boundary in metres (positive inside, negative outside).
 *
 * <p>"On the boundary" means a signed distance of exactly zero; the engine never decides on the sign alone but
 * treats any fix whose accuracy circle plus grace buffer reaches the boundary as UNCERTAIN (RATIONALE.md).
 *
 * <p>Instances are immutable and thread-safe, so one zone can be shared by many subjects' rule sets. Evaluation
 * methods allocate nothing; building a zone costs up to tens of milliseconds for 500 vertices.
 */
public abstract sealed class Zone permits PolygonZone, CircleZone, CorridorZone {
    private final String name;
    private final LocalProjection projection;
    private final FixPosition origin;
    private final double minX;
    private final double minY;
    private final double maxX;
    private final double maxY;
    private final double radiusMetres;
    private final double minLat;
    private final double minLon;
    private final double maxLat;
    private final double maxLon;

    Zone(String name, LocalProjection projection, double minX, double minY, double maxX, double maxY,
         double minLat, double minLon, double maxLat, double maxLon) {
        this.name = name;
        this.projection = projection;
        this.origin = new FixPosition().set(projection.originLatDegrees(), projection.originLonDegrees());
        this.minX = minX;
        this.minY = minY;
        this.maxX = maxX;
        this.maxY = maxY;
        this.radiusMetres = Math.max(Math.hypot(Math.max(-minX, maxX), Math.max(-minY, maxY)), 0);
        this.minLat = minLat;
        this.minLon = minLon;
        this.maxLat = maxLat;
        this.maxLon = maxLon;
    }

    public final String name() {
        return name;
    }

    public abstract ZoneShape shape();

    /** Number of vertices that define the zone (1 for a circle). */
    public abstract int vertexCount();

    public final LocalProjection projection() {
        return projection;
    }

    /** Degree bounding box, used by {@link SharedZoneIndex}. */
    public final double minLatDegrees() {
        return minLat;
    }

    public final double minLonDegrees() {
        return minLon;
    }

    public final double maxLatDegrees() {
        return maxLat;
    }

    public final double maxLonDegrees() {
        return maxLon;
    }

    /** Exact signed distance in metres from a fix to the boundary; positive inside. */
    public final double signedDistanceMetres(FixPosition p) {
        if (!projection.isNear(p)) {
            return -farDistanceMetres(p);
        }
        return signedDistanceLocal(east(p), north(p));
    }

    /**
     * Signed distance for a point already projected into this zone's plane, or, when the point's distance to the
     * bounding box already exceeds {@code certainBeyondMetres}, minus that box distance (a bound: the true distance
     * is at least as large). The caller decides UNCERTAIN only within that margin, so the bound never changes a
     * decision; it lets most fixes skip the boundary entirely.
     */
    public final double signedDistanceOrBound(double x, double y, double certainBeyondMetres) {
        double dx = Math.max(Math.max(minX - x, 0), x - maxX);
        double dy = Math.max(Math.max(minY - y, 0), y - maxY);
        double boxDistance2 = dx * dx + dy * dy;
        if (boxDistance2 > certainBeyondMetres * certainBeyondMetres) {
            return -Math.sqrt(boxDistance2);
        }
        return signedDistanceLocalOrBound(x, y, certainBeyondMetres);
    }

    /**
     * Like {@link #signedDistanceLocal}, but free to return a bound of the right sign whose magnitude exceeds
     * {@code certainBeyondMetres} instead of the exact value. The default is exact.
     */
    double signedDistanceLocalOrBound(double x, double y, double certainBeyondMetres) {
        return signedDistanceLocal(x, y);
    }

    /** {@link #signedDistanceOrBound} for a fix, handling fixes too far away for the local plane. */
    public final double signedDistanceOrBound(FixPosition p, double certainBeyondMetres) {
        if (!projection.isNear(p)) {
            return -farDistanceMetres(p);
        }
        return signedDistanceOrBound(east(p), north(p), certainBeyondMetres);
    }

    public final double east(FixPosition p) {
        return projection.east(p.ecefX(), p.ecefY(), p.ecefZ());
    }

    public final double north(FixPosition p) {
        return projection.north(p.ecefX(), p.ecefY(), p.ecefZ());
    }

    /** Exact signed distance for a point in this zone's local plane (metres east and north of the origin). */
    public abstract double signedDistanceLocal(double x, double y);

    /** The zone as a JTS geometry in its local plane (metres); circles and corridors are approximated. */
    public abstract Geometry localGeometry();

    private double farDistanceMetres(FixPosition p) {
        // More than ~1,000 km away: the chord to the origin minus the zone's extent is a lower bound on the distance.
        return Math.max(p.chordMetresTo(origin) - radiusMetres, 0);
    }

    @Override
    public String toString() {
        return shape() + " '" + name + "'";
    }
}
