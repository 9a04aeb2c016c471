package io.kuzet.geofence.decision;

import io.kuzet.geofence.rule.RuleKind;

/**
 * One transition with the numbers behind it and a one-line explanation, e.g.
 * "Exclusion zone 'Victim home': 85 m inside (accuracy 12 m), 4 fixes over 3 min".
 *
 * <p>A flyweight owned by one {@link DeviceEvaluator}: valid only during
 * {@link TransitionListener#onTransition}, not thread-safe. Only the explanation String is allocated, and only
 * when a transition happens.
 */
public final class TransitionEvent {
    private long deviceId;
    private long ruleId;
    private RuleKind ruleKind;
    private String ruleName;
    private TransitionKind transition;
    private boolean late;
    private long openingFixTimeMs;
    private long fixTimeMs;
    private Decision decision;
    private double signedDistanceMetres;
    private double accuracyMetres;
    private int fixCount;
    private long durationMs;
    private String zoneName;
    private long victimAgeMs;
    private String explanation;
    private long clockTimeMs = -1;

    void set(long deviceId, long ruleId, RuleKind ruleKind, String ruleName, TransitionKind transition, boolean late,
             long openingFixTimeMs, long fixTimeMs, Decision decision, double signedDistanceMetres,
             double accuracyMetres, int fixCount, long durationMs, String zoneName, long victimAgeMs,
             String explanation) {
        this.deviceId = deviceId;
        this.ruleId = ruleId;
        this.ruleKind = ruleKind;
        this.ruleName = ruleName;
        this.transition = transition;
        this.late = late;
        this.openingFixTimeMs = openingFixTimeMs;
        this.fixTimeMs = fixTimeMs;
        this.decision = decision;
        this.signedDistanceMetres = signedDistanceMetres;
        this.accuracyMetres = accuracyMetres;
        this.fixCount = fixCount;
        this.durationMs = durationMs;
        this.zoneName = zoneName;
        this.victimAgeMs = victimAgeMs;
        this.explanation = explanation;
        this.clockTimeMs = -1;
    }

    void clockTimeMs(long clockTimeMs) {
        this.clockTimeMs = clockTimeMs;
    }

    /**
     * The core's clock time (a journaled tick) at which a transition decided without a new fix was made, or -1 when
     * a fix completed it. For such a transition {@link #fixTimeMs} is the last known fix (or the window start).
     */
    public long clockTimeMs() {
        return clockTimeMs;
    }

    public long deviceId() {
        return deviceId;
    }

    public long ruleId() {
        return ruleId;
    }

    public RuleKind ruleKind() {
        return ruleKind;
    }

    public String ruleName() {
        return ruleName;
    }

    public TransitionKind transition() {
        return transition;
    }

    /** True when raised from a fix older than one already evaluated (store-and-forward data). */
    public boolean late() {
        return late;
    }

    /**
     * Fix time of the first fix of the episode: the first violating fix for an opening, the violation's opening
     * fix for a close, the first ambiguous fix for UNCERTAIN_TOO_LONG.
     */
    public long openingFixTimeMs() {
        return openingFixTimeMs;
    }

    /** Fix time of the fix that completed the transition. */
    public long fixTimeMs() {
        return fixTimeMs;
    }

    /** The decision for the completing fix. */
    public Decision decision() {
        return decision;
    }

    /**
     * Signed distance of the completing fix to the boundary in metres, positive inside the zone (for proximity:
     * positive when closer than the limit). NaN when unknown (no victim position, or a schedule/rule change).
     */
    public double signedDistanceMetres() {
        return signedDistanceMetres;
    }

    /** Uncertainty used for the decision: the fix's accuracy, plus the victim's for proximity. */
    public double accuracyMetres() {
        return accuracyMetres;
    }

    /** Fixes in the run that completed the transition. */
    public int fixCount() {
        return fixCount;
    }

    /** Time from {@link #openingFixTimeMs} to {@link #fixTimeMs}. */
    public long durationMs() {
        return durationMs;
    }

    /** The zone concerned: the rule's zone or, for shared zone sets, the zone the fix is deepest in; else null. */
    public String zoneName() {
        return zoneName;
    }

    /** Age of the victim position at the fix time for proximity rules, -1 otherwise or when unknown. */
    public long victimAgeMs() {
        return victimAgeMs;
    }

    public String explanation() {
        return explanation;
    }

    @Override
    public String toString() {
        return (late ? "LATE " : "") + transition + " rule " + ruleId + " device " + deviceId + ": " + explanation;
    }
}
