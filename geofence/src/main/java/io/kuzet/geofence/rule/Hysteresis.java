package io.kuzet.geofence.rule;

import io.kuzet.geofence.GeofenceValidationException;

/**
 * How much evidence opens and closes a violation. A violation opens after {@code openFixes} consecutive violating
 * fixes spanning at least {@code openDwellSeconds}, and closes after {@code closeFixes} consecutive compliant
 * fixes spanning at least {@code closeDwellSeconds} (both conditions; set one to 1 fix or 0 s to use only the
 * other). An ambiguous episode that leans towards violation is reported once it lasts
 * {@code maxUncertainSeconds} (0 disables that report). Immutable.
 */
public record Hysteresis(int openFixes, long openDwellSeconds, int closeFixes, long closeDwellSeconds,
                         long maxUncertainSeconds) {

    public Hysteresis {
        if (openFixes < 1 || closeFixes < 1 || openDwellSeconds < 0 || closeDwellSeconds < 0
                || maxUncertainSeconds < 0) {
            throw new GeofenceValidationException("Hysteresis needs at least 1 fix to open and to close and"
                    + " non-negative dwell times, got " + this);
        }
    }

    /** Defaults per rule kind; see RATIONALE.md for why these values. */
    public static Hysteresis defaultsFor(RuleKind kind) {
        return switch (kind) {
            case EXCLUSION -> new Hysteresis(3, 30, 3, 60, 600);
            case INCLUSION, CURFEW -> new Hysteresis(3, 60, 2, 30, 1200);
            case PROXIMITY -> new Hysteresis(2, 0, 3, 60, 300);
        };
    }
}
