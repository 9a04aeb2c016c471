package io.kuzet.geofence;

/**
 * A zone, schedule or rule definition that the engine refuses, with a message an administrator can act on
 * ("Polygon ring 0 self-intersects near lon 76.9, lat 43.2").
 *
 * <p>Thrown only while building zones, schedules and rule sets, never from the evaluation hot path. Immutable.
 */
public final class GeofenceValidationException extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;

    public GeofenceValidationException(String message) {
        super(message);
    }
}
