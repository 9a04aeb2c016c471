package io.kuzet.geofence.decision;

/**
 * The tri-state answer for one fix and one zone (for proximity: the disc of forbidden distance around the victim).
 * UNCERTAIN when the fix's accuracy circle, widened by the rule's grace buffer, reaches the boundary:
 * |signed distance| &lt;= accuracy + grace. INSIDE and OUTSIDE need strictly more.
 */
public enum Decision {
    INSIDE, OUTSIDE, UNCERTAIN;

    /** Classifies a signed distance (positive inside) against the uncertainty margin. */
    public static Decision of(double signedMetres, double marginMetres) {
        if (signedMetres > marginMetres) {
            return INSIDE;
        }
        if (signedMetres < -marginMetres) {
            return OUTSIDE;
        }
        return UNCERTAIN;
    }
}
