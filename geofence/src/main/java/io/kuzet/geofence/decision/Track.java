package io.kuzet.geofence.decision;

import io.kuzet.geofence.state.StateFields;

/**
 * Hysteresis state of one (device, rule) pair for one stream of fixes (the live stream or the late one).
 * Plain mutable fields, owned by the evaluating thread.
 */
final class Track {
    /** COMPLIANT -> SUSPECTED -> VIOLATION -> CLEARING -> COMPLIANT. Snapshots store the ordinal: append only. */
    enum Phase { COMPLIANT, SUSPECTED, VIOLATION, CLEARING }

    /** What a snapshot keeps of a track; a new field here needs one line below (see server/RATIONALE.md). */
    static final StateFields<Track> FIELDS = new StateFields<Track>()
            .field("phase", t -> t.phase.ordinal(), (t, v) -> t.phase = Phase.values()[(int) v])
            .field("lastFixTimeMs", t -> t.lastFixTimeMs, (t, v) -> t.lastFixTimeMs = v)
            .field("runStartMs", t -> t.runStartMs, (t, v) -> t.runStartMs = v)
            .field("runFixes", t -> t.runFixes, (t, v) -> t.runFixes = (int) v)
            .field("violationStartMs", t -> t.violationStartMs, (t, v) -> t.violationStartMs = v)
            .field("uncertainStartMs", t -> t.uncertainStartMs, (t, v) -> t.uncertainStartMs = v)
            .field("uncertainFixes", t -> t.uncertainFixes, (t, v) -> t.uncertainFixes = (int) v)
            .field("uncertainReported", t -> t.uncertainReported ? 1 : 0, (t, v) -> t.uncertainReported = v != 0)
            .field("runOnCentre", t -> t.runOnCentre ? 1 : 0, (t, v) -> t.runOnCentre = v != 0)
            .field("clockWindowStartMs", t -> t.clockWindowStartMs, (t, v) -> t.clockWindowStartMs = v)
            .field("statusUnknownStartMs", t -> t.statusUnknownStartMs, (t, v) -> t.statusUnknownStartMs = v);

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
