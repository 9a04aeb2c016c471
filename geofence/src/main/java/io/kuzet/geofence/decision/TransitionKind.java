package io.kuzet.geofence.decision;

/** What changed for a (device, rule) pair. */
public enum TransitionKind {
    /** Enough consecutive violating fixes over enough time: a violation starts. */
    VIOLATION_OPENED,
    /** Enough consecutive compliant fixes (or the schedule ended, or the rule was removed): it ends. */
    VIOLATION_CLOSED,
    /** Fixes stayed ambiguous, leaning towards violation, longer than the rule allows. Reported once per episode. */
    UNCERTAIN_TOO_LONG,
    /**
     * The offender came certainly within the warning distance of the victim (no violation open). Once per approach:
     * re-armed by {@link #PROXIMITY_WARNING_ENDED}.
     */
    PROXIMITY_WARNING,
    /** Late (store-and-forward) fixes show a violation episode; one-shot, never closed (RATIONALE.md). */
    LATE_VIOLATION,
    /**
     * A schedule window began and, a configured time later, no fix since its start says where the subject is: the
     * rule's status is unknown. Decided on the core's clock (ticks). Reported once per window.
     */
    SCHEDULE_STATUS_UNKNOWN,
    /** A fix arrived (or the window ended) after {@link #SCHEDULE_STATUS_UNKNOWN}: the status is known again. */
    SCHEDULE_STATUS_KNOWN,
    /**
     * The subject came certainly within the approach warning distance of an exclusion zone without a violation open.
     * Once per approach: re-armed once certainly beyond the distance again.
     */
    APPROACH_WARNING,
    /**
     * A curfew window starts within the rule's warning time and the last known position is certainly outside the
     * zone. Once per window; decided on a fix or on the core's clock.
     */
    CURFEW_WARNING,
    /**
     * After {@link #APPROACH_WARNING}: the subject is certainly beyond the warning distance again (the warning is over;
     * {@code openingFixTimeMs} is the warning's fix time, so the warning can be found and cleared).
     */
    APPROACH_WARNING_ENDED,
    /**
     * After {@link #PROXIMITY_WARNING}: the offender is certainly beyond the warning distance of the victim again
     * ({@code openingFixTimeMs} is the warning's fix time, so the warning can be found and cleared).
     */
    PROXIMITY_WARNING_ENDED
}
