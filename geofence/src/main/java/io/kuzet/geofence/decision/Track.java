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
            .field("uncertainReported", t -> t.uncertainReported ? 1 : 0, (t, v) -> t.uncertainReported = v != 0);

    Phase phase = Phase.COMPLIANT;
    long lastFixTimeMs = Long.MIN_VALUE;
    /** First fix of the current SUSPECTED or CLEARING run. */
    long runStartMs;
    int runFixes;
    /** Opening fix time of the current violation. */
    long violationStartMs;
    /** First fix of the current ambiguous-leaning-violation run, with its count. */
    long uncertainStartMs;
    int uncertainFixes;
    boolean uncertainReported;

    boolean inViolation() {
        return phase == Phase.VIOLATION || phase == Phase.CLEARING;
    }

    void reset() {
        phase = Phase.COMPLIANT;
        runFixes = 0;
        uncertainFixes = 0;
        uncertainReported = false;
    }

    void copyFrom(Track other) {
        phase = other.phase;
        lastFixTimeMs = other.lastFixTimeMs;
        runStartMs = other.runStartMs;
        runFixes = other.runFixes;
        violationStartMs = other.violationStartMs;
        uncertainStartMs = other.uncertainStartMs;
        uncertainFixes = other.uncertainFixes;
        uncertainReported = other.uncertainReported;
    }
}
