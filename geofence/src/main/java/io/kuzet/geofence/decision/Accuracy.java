package io.kuzet.geofence.decision;

/**
 * How the engine reads a fix's horizontal accuracy. Unknown accuracy (NaN, infinite, zero or negative: several
 * trackers send 0 for "unknown") becomes {@link #UNKNOWN_METRES}, a deliberately pessimistic value so that a fix of
 * unknown quality must be well inside or outside a zone to count. Values under {@link #FLOOR_METRES} are raised to
 * it because receivers overstate their precision. Stateless.
 */
public final class Accuracy {
    /** Assumed accuracy when the device does not report one. */
    public static final double UNKNOWN_METRES = 50;
    /** No fix is trusted to be better than this. */
    public static final double FLOOR_METRES = 3;

    private Accuracy() {
    }

    public static double effectiveMetres(double reportedMetres) {
        if (!(reportedMetres > 0) || Double.isInfinite(reportedMetres)) {
            return UNKNOWN_METRES;
        }
        return Math.max(reportedMetres, FLOOR_METRES);
    }
}
