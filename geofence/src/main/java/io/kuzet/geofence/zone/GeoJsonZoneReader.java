package io.kuzet.geofence.zone;

import io.kuzet.geofence.GeofenceValidationException;
import java.util.List;
import java.util.Map;

/**
 * Reads zones from GeoJSON (RFC 7946, WGS84, positions as [longitude, latitude]).
 *
 * <p>Accepted: a Feature whose geometry is a Polygon or MultiPolygon, a Point with {@code properties.radius_m}
 * (circle) or a LineString with {@code properties.width_m} (corridor), optionally {@code properties.name}; or a bare
 * geometry with the name and radius/width passed explicitly. Anything else fails with a
 * {@link GeofenceValidationException} saying what to change.
 *
 * <p>Stateless and thread-safe; meant for the administration path, not the hot path.
 */
public final class GeoJsonZoneReader {
    private GeoJsonZoneReader() {
    }

    /** Reads a Feature or a Polygon/MultiPolygon geometry; {@code name} overrides {@code properties.name}. */
    public static Zone read(String name, String json) {
        Map<String, Object> root = object(JsonTree.parse(json), "the GeoJSON document");
        Map<String, Object> geometry = root;
        Map<String, Object> properties = Map.of();
        if ("Feature".equals(root.get("type"))) {
            geometry = object(root.get("geometry"), "Feature.geometry");
            if (root.get("properties") != null) {
                properties = object(root.get("properties"), "Feature.properties");
            }
        }
        String zoneName = name != null ? name : properties.get("name") instanceof String s ? s : null;
        String type = String.valueOf(geometry.get("type"));
        switch (type) {
            case "Polygon":
                return PolygonZone.of(zoneName, new double[][][] {rings(zoneName, geometry.get("coordinates"))});
            case "MultiPolygon": {
                List<?> polygons = list(geometry.get("coordinates"), "MultiPolygon.coordinates");
                double[][][] parts = new double[polygons.size()][][];
                for (int i = 0; i < parts.length; i++) {
                    parts[i] = rings(zoneName, polygons.get(i));
                }
                return PolygonZone.of(zoneName, parts);
            }
            case "Point": {
                Object radius = properties.get("radius_m");
                if (radius == null) {
                    throw new GeofenceValidationException("Zone '" + zoneName + "': a Point zone is a circle and needs"
                            + " properties.radius_m (metres)");
                }
                return readCircle(zoneName, geometry, number(radius, "radius_m"));
            }
            case "LineString": {
                Object width = properties.get("width_m");
                if (width == null) {
                    throw new GeofenceValidationException("Zone '" + zoneName + "': a LineString zone is a corridor"
                            + " and needs properties.width_m (metres)");
                }
                return readCorridor(zoneName, geometry, number(width, "width_m"));
            }
            default:
                throw new GeofenceValidationException("Zone '" + zoneName + "': unsupported geometry type '" + type
                        + "'; use Polygon, MultiPolygon, Point with radius_m or LineString with width_m");
        }
    }

    /** Reads a Point geometry (or Feature) as a circle of the given radius. */
    public static CircleZone readCircle(String name, String pointJson, double radiusMetres) {
        return readCircle(name, geometryOf(JsonTree.parse(pointJson)), radiusMetres);
    }

    /** Reads a LineString geometry (or Feature) as a corridor of the given total width. */
    public static CorridorZone readCorridor(String name, String lineJson, double widthMetres) {
        return readCorridor(name, geometryOf(JsonTree.parse(lineJson)), widthMetres);
    }

    private static CircleZone readCircle(String name, Map<String, Object> geometry, double radiusMetres) {
        requireType(name, geometry, "Point");
        double[] p = positions(name, List.of(geometry.get("coordinates")));
        return CircleZone.of(name, p[1], p[0], radiusMetres);
    }

    private static CorridorZone readCorridor(String name, Map<String, Object> geometry, double widthMetres) {
        requireType(name, geometry, "LineString");
        return CorridorZone.of(name, positions(name, list(geometry.get("coordinates"), "LineString.coordinates")),
                widthMetres);
    }

    private static Map<String, Object> geometryOf(Object parsed) {
        Map<String, Object> root = object(parsed, "the GeoJSON document");
        return "Feature".equals(root.get("type")) ? object(root.get("geometry"), "Feature.geometry") : root;
    }

    private static void requireType(String name, Map<String, Object> geometry, String type) {
        if (!type.equals(geometry.get("type"))) {
            throw new GeofenceValidationException("Zone '" + name + "': expected a " + type + " geometry, got "
                    + geometry.get("type"));
        }
    }

    private static double[][] rings(String name, Object coordinates) {
        List<?> rings = list(coordinates, "Polygon.coordinates");
        if (rings.isEmpty()) {
            throw new GeofenceValidationException("Zone '" + name + "': a Polygon needs at least an outer ring");
        }
        double[][] out = new double[rings.size()][];
        for (int r = 0; r < out.length; r++) {
            out[r] = positions(name, list(rings.get(r), "ring " + r));
        }
        return out;
    }

    private static double[] positions(String name, List<?> positions) {
        double[] out = new double[positions.size() * 2];
        for (int i = 0; i < positions.size(); i++) {
            List<?> position = list(positions.get(i), "position " + i);
            if (position.size() < 2) {
                throw new GeofenceValidationException("Zone '" + name + "': position " + i
                        + " needs [longitude, latitude]");
            }
            out[2 * i] = number(position.get(0), "longitude");
            out[2 * i + 1] = number(position.get(1), "latitude");
        }
        return out;
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> object(Object value, String what) {
        if (value instanceof Map<?, ?> map) {
            return (Map<String, Object>) map;
        }
        throw new GeofenceValidationException("GeoJSON: " + what + " must be an object");
    }

    private static List<?> list(Object value, String what) {
        if (value instanceof List<?> list) {
            return list;
        }
        throw new GeofenceValidationException("GeoJSON: " + what + " must be an array");
    }

    private static double number(Object value, String what) {
        if (value instanceof Double d) {
            return d;
        }
        throw new GeofenceValidationException("GeoJSON: " + what + " must be a number, got " + value);
    }
}
