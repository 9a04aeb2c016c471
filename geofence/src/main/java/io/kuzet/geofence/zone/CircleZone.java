package io.kuzet.geofence.zone;

import io.kuzet.geofence.GeofenceValidationException;
import io.kuzet.geofence.projection.LocalProjection;
import io.kuzet.geofence.projection.Wgs84;
import org.locationtech.jts.geom.Coordinate;
import org.locationtech.jts.geom.Geometry;
import org.locationtech.jts.geom.GeometryFactory;

/**
 * A circle: centre and radius in metres, measured in the tangent plane at the centre. Immutable and thread-safe;
 * a distance costs one square root.
 */
public final class CircleZone extends Zone {
    private final double radiusMetres;

    private CircleZone(String name, LocalProjection projection, double radiusMetres, double minLat, double minLon,
                       double maxLat, double maxLon) {
        super(name, projection, -radiusMetres, -radiusMetres, radiusMetres, radiusMetres, minLat, minLon, maxLat,
                maxLon);
        this.radiusMetres = radiusMetres;
    }

    /** Builds a circle; throws {@link GeofenceValidationException} for bad coordinates or radius. */
    public static CircleZone of(String name, double latDegrees, double lonDegrees, double radiusMetres) {
        String label = ZoneChecks.label(name);
        ZoneChecks.checkPosition(label, lonDegrees, latDegrees);
        if (!(radiusMetres > 0)) {
            throw new GeofenceValidationException(label + ": radius_m must be a positive number of metres, got "
                    + radiusMetres);
        }
        if (radiusMetres > LocalProjection.MAX_RADIUS_METRES) {
            throw new GeofenceValidationException(label + ": radius_m " + radiusMetres + " exceeds the "
                    + (long) LocalProjection.MAX_RADIUS_METRES + " m a zone may reach from its centre");
        }
        double dLat = Math.toDegrees(radiusMetres / (Wgs84.SEMI_MAJOR_METRES * (1 - Wgs84.E2))) * 1.01;
        double cosLat = Math.max(Math.cos(Math.toRadians(latDegrees)), 1e-6);
        double dLon = Math.min(180, dLat / cosLat);
        return new CircleZone(name, new LocalProjection(latDegrees, lonDegrees), radiusMetres,
                Math.max(-90, latDegrees - dLat), lonDegrees - dLon, Math.min(90, latDegrees + dLat), lonDegrees + dLon);
    }

    public double radiusMetres() {
        return radiusMetres;
    }

    @Override
    public ZoneShape shape() {
        return ZoneShape.CIRCLE;
    }

    @Override
    public int vertexCount() {
        return 1;
    }

    @Override
    public double signedDistanceLocal(double x, double y) {
        return radiusMetres - Math.sqrt(x * x + y * y);
    }

    @Override
    public Geometry localGeometry() {
        return new GeometryFactory().createPoint(new Coordinate(0, 0)).buffer(radiusMetres, 16);
    }
}
