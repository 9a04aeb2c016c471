package io.kuzet.geofence.decision;

/** How {@link DeviceEvaluator#evaluate} treated a fix. */
public enum FixOrder {
    /** Not older than the last evaluated fix: drove the live state. */
    IN_ORDER,
    /** Older than the last evaluated fix: judged on the late track only, never reopening or closing live state. */
    LATE,
    /** Latitude/longitude out of range or not a number: ignored. */
    REJECTED
}
