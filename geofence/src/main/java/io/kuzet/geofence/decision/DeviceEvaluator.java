package io.kuzet.geofence.decision;

import io.kuzet.geofence.projection.FixPosition;
import io.kuzet.geofence.projection.Wgs84;
import io.kuzet.geofence.proximity.VictimPositions;
import io.kuzet.geofence.rule.Rule;
import io.kuzet.geofence.rule.RuleKind;
import io.kuzet.geofence.rule.RuleSet;
import io.kuzet.geofence.rule.RuleSetSlot;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Evaluates one offender device's fixes against its subject's rule set and reports transitions. Holds the
 * per (device, rule) state.
 *
 * <p>Not thread-safe: one evaluation thread owns it (and the {@link VictimPositions} it reads). Rule-set changes
 * arrive through the {@link RuleSetSlot} and are adopted at the start of the next {@link #evaluate}; state of rules
 * whose id and kind survive the change is kept. In steady state {@link #evaluate} allocates nothing: it converts
 * the fix to ECEF once, then per rule projects it (nine multiplications), prefilters on the zone's projected
 * bounding box and, only near the zone, looks up one grid cell. Deterministic: the same fixes (and victim fixes) in
 * the same order produce the same transitions, so replaying a journal after a restart reproduces them exactly.
 */
public final class DeviceEvaluator {
    private final long deviceId;
    private final RuleSetSlot slot;
    private final VictimPositions victims;
    private final FixPosition fix = new FixPosition();
    private final TransitionEvent event = new TransitionEvent();
    private RuleSet ruleSet;
    private RuleState[] states = new RuleState[0];
    private long lastFixTimeMs = Long.MIN_VALUE;
    /** Position and accuracy of the newest in-order fix: what the clock judges a schedule start from. */
    private final FixPosition lastFix = new FixPosition();
    private double lastAccuracyMetres = Accuracy.UNKNOWN_METRES;
    /** First clock time this evaluator saw: a window that began before monitoring did is timed from here. */
    private long clockSinceMs = Long.MIN_VALUE;

    public DeviceEvaluator(long deviceId, RuleSetSlot slot, VictimPositions victims) {
        this.deviceId = deviceId;
        this.slot = slot;
        this.victims = victims;
    }

    public long deviceId() {
        return deviceId;
    }

    /** Fix time of the newest fix evaluated in order, or Long.MIN_VALUE. */
    public long lastFixTimeMs() {
        return lastFixTimeMs;
    }

    /**
     * Evaluates one fix against every rule active at {@code fixTimeMs}.
     *
     * @param accuracyMetres horizontal accuracy; NaN or non-positive means unknown (see {@link Accuracy})
     * @param listener       receives transitions synchronously; the event is reused
     * @return whether the fix was in order, late (older than one already evaluated) or rejected
     */
    public FixOrder evaluate(long fixTimeMs, double lat, double lon, double accuracyMetres,
                             TransitionListener listener) {
        RuleSet current = slot.current();
        if (current != ruleSet) {
            adopt(current, Math.max(fixTimeMs, lastFixTimeMs), listener);
        }
        if (!Wgs84.isValid(lat, lon)) {
            return FixOrder.REJECTED;
        }
        boolean isLate = fixTimeMs < lastFixTimeMs;
        if (!isLate) {
            lastFixTimeMs = fixTimeMs;
        }
        double accuracy = Accuracy.effectiveMetres(accuracyMetres);
        fix.set(lat, lon);
        if (!isLate) {
            lastFix.copyFrom(fix);
            lastAccuracyMetres = accuracy;
        }
        RuleState[] s = states;
        for (int i = 0; i < s.length; i++) {
            s[i].onFix(deviceId, fix, fixTimeMs, accuracy, isLate, event, listener);
        }
        return isLate ? FixOrder.LATE : FixOrder.IN_ORDER;
    }

    /** Names of the values {@link #saveRuleStates} reports per rule; store them once per snapshot. */
    public static String[] ruleStateFields() {
        return RuleState.FIELDS.names();
    }

    /** Maps the field names stored with a snapshot onto the current rule-state fields (for {@link #restoreRuleState}). */
    public static int[] ruleStateMapping(String[] storedNames) {
        return RuleState.FIELDS.mapping(storedNames);
    }

    /** Receives the state of one rule of this device for a snapshot; {@code values} is reused between calls. */
    public interface RuleStateSink {
        void ruleState(long ruleId, RuleKind kind, long[] values);
    }

    /** Reports the state of every rule held (for a snapshot). Owner thread only. */
    public void saveRuleStates(RuleStateSink sink) {
        long[] values = new long[RuleState.FIELDS.size()];
        for (RuleState state : states) {
            RuleState.FIELDS.save(state, values);
            sink.ruleState(state.rule.id(), state.rule.kind(), values);
        }
    }

    /**
     * Restores state saved by {@link #saveRuleStates} on a fresh evaluator: adopts the slot's current rule set, sets the
     * newest fix time, and gives each rule that still exists with the same kind its saved state. {@code mapping} comes
     * from {@code StateFields.mapping} over the names stored with the snapshot. Returns false when the rule is gone
     * (or changed kind), so the caller can decide what to do with what it derived from it.
     */
    public boolean restoreRuleState(long ruleId, RuleKind kind, int[] mapping, long[] stored) {
        if (ruleSet == null) {
            adopt(slot.current(), lastFixTimeMs, event -> { });
        }
        for (RuleState state : states) {
            if (state.rule.id() == ruleId && state.rule.kind() == kind) {
                RuleState.FIELDS.load(state, mapping, stored);
                return true;
            }
        }
        return false;
    }

    /** Restores the newest in-order fix time saved with {@link #lastFixTimeMs()}. */
    public void restoreLastFixTimeMs(long lastFixTimeMs) {
        this.lastFixTimeMs = lastFixTimeMs;
    }

    /** What the clock judges schedule starts from (for a snapshot): first clock time, last position and accuracy. */
    public long clockSinceMs() {
        return clockSinceMs;
    }

    public double lastFixLatDegrees() {
        return lastFix.latDegrees();
    }

    public double lastFixLonDegrees() {
        return lastFix.lonDegrees();
    }

    public double lastAccuracyMetres() {
        return lastAccuracyMetres;
    }

    /** Restores what {@link #clockSinceMs()}, {@link #lastFixLatDegrees()} and the others reported. */
    public void restoreClockState(long clockSinceMs, double lastLatDegrees, double lastLonDegrees, double lastAccuracyMetres) {
        this.clockSinceMs = clockSinceMs;
        this.lastFix.set(lastLatDegrees, lastLonDegrees);
        this.lastAccuracyMetres = lastAccuracyMetres;
    }

    /**
     * The core's clock (a journaled tick, never the wall clock) reached {@code nowMs}: schedule windows that began
     * since the last fix are judged from the last known position, and a window without any fix for
     * {@code unknownAfterMs} (0: never) is reported as status unknown. Deterministic under replay; allocates nothing
     * unless a transition happens or the clock crosses a cached schedule span.
     */
    public void onClock(long nowMs, long unknownAfterMs, TransitionListener listener) {
        if (clockSinceMs == Long.MIN_VALUE) {
            clockSinceMs = nowMs;
        }
        RuleSet current = slot.current();
        if (current != ruleSet) {
            adopt(current, Math.max(nowMs, lastFixTimeMs), listener);
        }
        RuleState[] s = states;
        for (int i = 0; i < s.length; i++) {
            s[i].onClock(deviceId, nowMs, clockSinceMs, lastFix, lastFixTimeMs, lastAccuracyMetres, unknownAfterMs, event,
                    listener);
        }
    }

    /** Whether the rule with this id currently has an open live violation. */
    public boolean inViolation(long ruleId) {
        for (RuleState state : states) {
            if (state.rule.id() == ruleId) {
                return state.live.inViolation();
            }
        }
        return false;
    }

    private void adopt(RuleSet next, long nowMs, TransitionListener listener) {
        Map<Long, RuleState> previous = new LinkedHashMap<>();
        for (RuleState state : states) {
            previous.put(state.rule.id(), state);
        }
        RuleState[] adopted = new RuleState[next.size()];
        for (int i = 0; i < adopted.length; i++) {
            Rule rule = next.get(i);
            adopted[i] = new RuleState(rule, victims);
            RuleState old = previous.remove(rule.id());
            if (old != null && old.rule.kind() == rule.kind()) {
                adopted[i].inherit(old);
            } else if (old != null) {
                previous.put(rule.id(), old);
            }
        }
        for (RuleState gone : previous.values()) {
            gone.closeWithoutFix(deviceId, nowMs, "rule removed or changed", event, listener);
        }
        states = adopted;
        ruleSet = next;
    }
}
