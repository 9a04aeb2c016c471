package io.kuzet.geofence.zone;

/** The three zone geometries a court order can name. */
public enum ZoneShape {
    /** Polygon or multipolygon, holes allowed. */
    POLYGON,
    /** Centre point and radius in metres. */
    CIRCLE,
    /** Line and total width in metres (half the width on each side). */
    CORRIDOR
}
