package io.kuzet.geofence.decision;

/**
 * Hysteresis state of one (device, rule) pair for one stream of fixes (the live stream or the late one).
 * Plain mutable fields, owned by the evaluating thread.
 */
final class Track {
    /** COMPLIANT -> SUSPECTED -> VIOLATION -> CLEARING -> COMPLIANT. */
    enum Phase { COMPLIANT, SUSPECTED, VIOLATION, CLEARING }

    Phase phase = Phase.COMPLIANT;
    long lastFixTimeMs = Long.MIN_VALUE;
    /** First fix of the current SUSPECTED or CLEARING run. */
    long runStartMs;
    int runFixes;
    /** The CLEARING run counted at least one fix only because its centre was inside the zone. */
    boolean runOnCentre;
    /** Opening fix time of the current violation. */
    long violationStartMs;
    /** First fix of the current ambiguous-leaning-violation run, with its count. */
    long uncertainStartMs;
    int uncertainFixes;
    boolean uncertainReported;
    /** Start of the schedule window the clock already acted on (opened or reported unknown), or Long.MIN_VALUE. */
    long clockWindowStartMs = Long.MIN_VALUE;
    /** Start of the window whose status was reported unknown and is not yet known again, or Long.MIN_VALUE. */
    long statusUnknownStartMs = Long.MIN_VALUE;

    boolean inViolation() {
        return phase == Phase.VIOLATION || phase == Phase.CLEARING;
    }

    void reset() {
        phase = Phase.COMPLIANT;
        runFixes = 0;
        runOnCentre = false;
        uncertainFixes = 0;
        uncertainReported = false;
    }

    void copyFrom(Track other) {
        phase = other.phase;
        lastFixTimeMs = other.lastFixTimeMs;
        runStartMs = other.runStartMs;
        runFixes = other.runFixes;
        runOnCentre = other.runOnCentre;
        violationStartMs = other.violationStartMs;
        uncertainStartMs = other.uncertainStartMs;
        uncertainFixes = other.uncertainFixes;
        uncertainReported = other.uncertainReported;
        clockWindowStartMs = other.clockWindowStartMs;
        statusUnknownStartMs = other.statusUnknownStartMs;
    }
}
