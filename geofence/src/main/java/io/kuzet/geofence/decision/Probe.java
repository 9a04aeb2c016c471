package io.kuzet.geofence.decision;

import io.kuzet.geofence.projection.FixPosition;

/**
 * Measures one fix against one rule's target. One instance per (device, rule), owned by the evaluating thread;
 * {@link #measure} allocates nothing, the describing methods run only on transitions.
 */
abstract class Probe {
    /** Signed distance of the last measured fix, positive inside (exact within the margin, else a bound). */
    double signedMetres;
    /** Uncertainty of the last measured fix in metres. */
    double uncertaintyMetres;

    abstract void measure(FixPosition fix, long fixTimeMs, double accuracyMetres, double graceMetres);

    /** Exact signed distance for the fix last measured, for an event. */
    abstract double exactSignedMetres(FixPosition fix);

    /** Signed distance for the warning distance (proximity only), NaN otherwise. */
    double warningSignedMetres() {
        return Double.NaN;
    }

    /** Name of the zone involved in the last measure, or null. */
    abstract String zoneName();

    /** Age of the victim position at the last measure, or -1. */
    long victimAgeMs() {
        return -1;
    }

    /** "Exclusion zone 'Victim home'" or "Proximity to victim unit 42 (limit 500 m)". */
    abstract String subject(String ruleLabel, String ruleName);

    /** "85 m inside (accuracy 12 m)" for a signed distance of the last measured fix. */
    abstract String position(double signedMetres);

    /** Trailing context such as "; victim position 7 min old", or "". */
    String context() {
        return "";
    }
}
