package io.kuzet.geofence.proximity;

import io.kuzet.geofence.projection.FixPosition;

/**
 * The latest known position of one victim unit. Updated in place, so it is only valid on the thread that owns the
 * {@link VictimPositions}; copy what you keep.
 */
public final class VictimFix {
    private final long victimDeviceId;
    private final FixPosition position = new FixPosition();
    private long fixTimeMs = Long.MIN_VALUE;
    private double accuracyMetres;

    VictimFix(long victimDeviceId) {
        this.victimDeviceId = victimDeviceId;
    }

    public long victimDeviceId() {
        return victimDeviceId;
    }

    public FixPosition position() {
        return position;
    }

    public long fixTimeMs() {
        return fixTimeMs;
    }

    public double accuracyMetres() {
        return accuracyMetres;
    }

    void set(long fixTimeMs, double lat, double lon, double accuracyMetres) {
        this.fixTimeMs = fixTimeMs;
        this.accuracyMetres = accuracyMetres;
        position.set(lat, lon);
    }
}
