package io.kuzet.geofence.projection;

/**
 * One position in the earth-centred frame, computed once per fix and then projected cheaply into every zone's local
 * plane by {@link LocalProjection}.
 *
 * <p>Mutable and reused: not thread-safe, owned by the evaluating thread. {@link #set} costs one
 * {@link Wgs84#toEcef} call; it allocates nothing.
 */
public final class FixPosition {
    private final double[] ecef = new double[3];
    private double latDegrees;
    private double lonDegrees;

    public FixPosition set(double latDegrees, double lonDegrees) {
        this.latDegrees = latDegrees;
        this.lonDegrees = lonDegrees;
        Wgs84.toEcef(latDegrees, lonDegrees, ecef);
        return this;
    }

    public FixPosition copyFrom(FixPosition other) {
        latDegrees = other.latDegrees;
        lonDegrees = other.lonDegrees;
        ecef[0] = other.ecef[0];
        ecef[1] = other.ecef[1];
        ecef[2] = other.ecef[2];
        return this;
    }

    public double latDegrees() {
        return latDegrees;
    }

    public double lonDegrees() {
        return lonDegrees;
    }

    public double ecefX() {
        return ecef[0];
    }

    public double ecefY() {
        return ecef[1];
    }

    public double ecefZ() {
        return ecef[2];
    }

    /**
     * Straight-line (chord) distance in metres to another position; below 100 km it differs from the geodesic by
     * less than a metre, which is why proximity rules use it.
     */
    public double chordMetresTo(FixPosition other) {
        double dx = ecef[0] - other.ecef[0];
        double dy = ecef[1] - other.ecef[1];
        double dz = ecef[2] - other.ecef[2];
        return Math.sqrt(dx * dx + dy * dy + dz * dz);
    }
}
