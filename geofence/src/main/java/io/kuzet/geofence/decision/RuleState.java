package io.kuzet.geofence.decision;

import io.kuzet.geofence.projection.FixPosition;
import io.kuzet.geofence.proximity.VictimPositions;
import io.kuzet.geofence.rule.Hysteresis;
import io.kuzet.geofence.rule.Rule;
import io.kuzet.geofence.rule.RuleKind;
import io.kuzet.geofence.schedule.ActivitySpan;
import io.kuzet.geofence.state.StateFields;

/**
 * Everything one device keeps for one rule: the probe, the cached schedule span, the live and late hysteresis
 * tracks and the proximity warning latch. Owned by the evaluating thread; {@link #onFix} allocates nothing unless
 * it emits a transition or the fix leaves the cached schedule span.
 */
final class RuleState {
    /** A close resting on fix centres inside the zone needs at least this many fixes ... */
    static final int CENTRE_CLOSE_MIN_FIXES = 3;
    /** ... spanning at least this long (RATIONALE.md, "Closing small zones"). */
    static final long CENTRE_CLOSE_MIN_DWELL_MS = 120_000;

    /** What a snapshot keeps of a (device, rule) pair; the probe and schedule span are caches and rebuilt. */
    static final StateFields<RuleState> FIELDS = new StateFields<RuleState>()
            .part("live", Track.FIELDS, s -> s.live)
            .part("late", Track.FIELDS, s -> s.late)
            .field("warningRaised", s -> s.warningRaised ? 1 : 0, (s, v) -> s.warningRaised = v != 0)
            .field("curfewWarnedWindowMs", s -> s.curfewWarnedWindowMs, (s, v) -> s.curfewWarnedWindowMs = v)
            .field("warningSinceMs", s -> s.warningSinceMs, (s, v) -> s.warningSinceMs = v);

    final Rule rule;
    private final Probe probe;
    private final Decision violating;
    private final Decision compliant;
    private final long openDwellMs;
    private final long closeDwellMs;
    private final long maxUncertainMs;
    /** Inclusion and curfew: a fix whose centre is inside the zone counts as evidence of being back (RATIONALE.md). */
    private final boolean closesOnCentre;
    private final ActivitySpan span = new ActivitySpan();
    final Track live = new Track();
    final Track late = new Track();
    private boolean warningRaised;
    /** Start of the curfew window the subject was last warned about, or Long.MIN_VALUE. */
    private long curfewWarnedWindowMs = Long.MIN_VALUE;
    /** Fix time of the approach warning in force, or Long.MIN_VALUE. */
    private long warningSinceMs = Long.MIN_VALUE;
    private final long curfewWarningMs;

    RuleState(Rule rule, VictimPositions victims) {
        this.rule = rule;
        this.probe = probeFor(rule, victims);
        this.violating = rule.kind().insideViolates() ? Decision.INSIDE : Decision.OUTSIDE;
        this.compliant = rule.kind().insideViolates() ? Decision.OUTSIDE : Decision.INSIDE;
        Hysteresis h = rule.hysteresis();
        this.openDwellMs = h.openDwellSeconds() * 1000;
        this.closeDwellMs = h.closeDwellSeconds() * 1000;
        this.maxUncertainMs = h.maxUncertainSeconds() * 1000;
        this.closesOnCentre = rule.kind() == RuleKind.INCLUSION || rule.kind() == RuleKind.CURFEW;
        this.curfewWarningMs = rule.kind() == RuleKind.CURFEW && rule.schedule() != null
                ? rule.curfewWarningSeconds() * 1000 : 0;
    }

    private static Probe probeFor(Rule rule, VictimPositions victims) {
        if (rule.kind() == RuleKind.PROXIMITY) {
            return new ProximityProbe(victims, rule.victimDeviceId(), rule.proximityMetres(), rule.warningMetres(),
                    rule.staleVictimSeconds() * 1000);
        }
        double approach = rule.kind() == RuleKind.EXCLUSION ? rule.warningMetres() : 0;
        return rule.zone() != null ? new ZoneProbe(rule.zone(), approach) : new SharedZoneProbe(rule.sharedZones(), approach);
    }

    /** Carries a previous state's tracks over after a rule set change that kept this rule id and kind. */
    void inherit(RuleState previous) {
        live.copyFrom(previous.live);
        late.copyFrom(previous.late);
        warningRaised = previous.warningRaised;
        curfewWarnedWindowMs = previous.curfewWarnedWindowMs;
        warningSinceMs = previous.warningSinceMs;
    }

    void onFix(long deviceId, FixPosition fix, long fixTimeMs, double accuracyMetres, boolean isLate,
               TransitionEvent event, TransitionListener listener) {
        Track track = isLate ? late : live;
        if (isLate && fixTimeMs < late.lastFixTimeMs) {
            // A new store-and-forward batch starting earlier than the previous one: judge it on its own.
            late.reset();
        }
        track.lastFixTimeMs = fixTimeMs;
        if (!isLate && live.statusUnknownStartMs != Long.MIN_VALUE) {
            statusKnown(deviceId, fixTimeMs, "fix received at " + Explanation.localTime(fixTimeMs, rule.schedule()),
                    event, listener);
        }
        if (!activeAt(fixTimeMs)) {
            if (!isLate && live.inViolation()) {
                closeWithoutFix(deviceId, fixTimeMs, "schedule window ended", event, listener);
            }
            track.reset();
            warningRaised = false;
            if (!isLate && curfewWarningMs > 0) {
                warnBeforeCurfew(deviceId, fix, fixTimeMs, fixTimeMs, accuracyMetres, -1, event, listener);
            }
            return;
        }
        double grace = rule.graceMetres();
        probe.measure(fix, fixTimeMs, accuracyMetres, grace);
        double margin = probe.uncertaintyMetres + grace;
        Decision decision = Decision.of(probe.signedMetres, margin);
        boolean leaning = rule.kind().insideViolates() ? probe.signedMetres > 0 : probe.signedMetres < 0;
        step(deviceId, track, isLate, fix, fixTimeMs, decision, leaning, event, listener);
        if (!isLate && rule.kind() == RuleKind.PROXIMITY) {
            warn(deviceId, fix, fixTimeMs, margin, event, listener);
        } else if (!isLate && rule.kind() == RuleKind.EXCLUSION && rule.warningMetres() > 0) {
            warnOnApproach(deviceId, fix, fixTimeMs, margin, event, listener);
        }
    }

    /**
     * The core's clock reached {@code nowMs} (a journaled tick). A schedule window that began after the device's last
     * fix is judged from the last known position: certainly violating there opens the violation at window start +
     * open dwell; otherwise, {@code unknownAfterMs} after the start, the status is reported unknown. Allocates only
     * on a transition or when the clock leaves the cached schedule span.
     */
    void onClock(long deviceId, long nowMs, long clockSinceMs, FixPosition lastFix, long lastFixTimeMs,
                 double lastAccuracyMetres, long unknownAfterMs, TransitionEvent event, TransitionListener listener) {
        if (rule.schedule() == null || rule.kind() == RuleKind.PROXIMITY) {
            return;
        }
        if (!activeAt(nowMs)) {
            if (live.statusUnknownStartMs != Long.MIN_VALUE) {
                statusKnown(deviceId, nowMs, "schedule window ended", event, listener);
            }
            if (live.inViolation() && nowMs > lastFixTimeMs) {
                closeWithoutFix(deviceId, nowMs, "schedule window ended", event, listener);
            }
            if (curfewWarningMs > 0 && lastFixTimeMs != Long.MIN_VALUE) {
                warnBeforeCurfew(deviceId, lastFix, lastFixTimeMs, nowMs, lastAccuracyMetres, nowMs, event, listener);
            }
            return;
        }
        long startMs = span.fromMs();
        if (lastFixTimeMs >= startMs || live.phase != Track.Phase.COMPLIANT || live.clockWindowStartMs == startMs) {
            return; // fixes in the window decide, or the clock already acted on this window
        }
        if (lastFixTimeMs != Long.MIN_VALUE) {
            probe.measure(lastFix, lastFixTimeMs, lastAccuracyMetres, rule.graceMetres());
            Decision decision = Decision.of(probe.signedMetres, probe.uncertaintyMetres + rule.graceMetres());
            if (decision == violating) {
                // Wait at least as long as the device was already silent before the start (capped at the
                // status-unknown time): a device reporting at its usual interval then decides with a fresh fix,
                // and a stale last position does not raise a curfew alert for someone who got home just in time.
                long waitMs = Math.max(openDwellMs, startMs - lastFixTimeMs);
                if (unknownAfterMs > 0) {
                    waitMs = Math.min(waitMs, Math.max(openDwellMs, unknownAfterMs));
                }
                if (nowMs - startMs >= waitMs) {
                    live.clockWindowStartMs = startMs;
                    live.phase = Track.Phase.VIOLATION;
                    live.violationStartMs = startMs;
                    double signed = probe.exactSignedMetres(lastFix);
                    String explanation = probe.subject(rule.kind().label(), rule.name()) + ": "
                            + (rule.kind() == RuleKind.CURFEW ? "curfew" : "schedule window") + " began at "
                            + Explanation.localTime(startMs, rule.schedule()) + " while the subject was away; last known"
                            + " position " + probe.position(signed) + " at " + Explanation.localTime(lastFixTimeMs,
                            rule.schedule()) + ", no fix since" + probe.context();
                    event.set(deviceId, rule.id(), rule.kind(), rule.name(), TransitionKind.VIOLATION_OPENED, false,
                            startMs, lastFixTimeMs, decision, signed, probe.uncertaintyMetres, 0, nowMs - startMs,
                            probe.zoneName(), probe.victimAgeMs(), explanation);
                    event.clockTimeMs(nowMs);
                    listener.onTransition(event);
                }
                return;
            }
        }
        // a window that began before the core first saw this device is timed from then, not from its start
        if (unknownAfterMs > 0 && nowMs - Math.max(startMs, clockSinceMs) >= unknownAfterMs) {
            live.clockWindowStartMs = startMs;
            live.statusUnknownStartMs = startMs;
            String explanation = probe.subject(rule.kind().label(), rule.name()) + " status unknown: window began at "
                    + Explanation.localTime(startMs, rule.schedule()) + ", no fix for " + Explanation.duration(
                    nowMs - startMs) + " since; last fix " + (lastFixTimeMs == Long.MIN_VALUE ? "never"
                    : Explanation.localTime(lastFixTimeMs, rule.schedule()));
            event.set(deviceId, rule.id(), rule.kind(), rule.name(), TransitionKind.SCHEDULE_STATUS_UNKNOWN, false,
                    startMs, lastFixTimeMs == Long.MIN_VALUE ? startMs : lastFixTimeMs, Decision.UNCERTAIN, Double.NaN,
                    Double.NaN, 0, nowMs - startMs, probe.zoneName(), -1, explanation);
            event.clockTimeMs(nowMs);
            listener.onTransition(event);
        }
    }

    private void statusKnown(long deviceId, long nowMs, String reason, TransitionEvent event,
                             TransitionListener listener) {
        long startMs = live.statusUnknownStartMs;
        live.statusUnknownStartMs = Long.MIN_VALUE;
        String explanation = probe.subject(rule.kind().label(), rule.name()) + " status known again: " + reason;
        event.set(deviceId, rule.id(), rule.kind(), rule.name(), TransitionKind.SCHEDULE_STATUS_KNOWN, false, startMs,
                nowMs, Decision.UNCERTAIN, Double.NaN, Double.NaN, 0, nowMs - startMs, probe.zoneName(), -1,
                explanation);
        listener.onTransition(event);
    }

    private boolean activeAt(long fixTimeMs) {
        if (rule.schedule() == null) {
            return true;
        }
        if (!span.contains(fixTimeMs)) {
            rule.schedule().locate(fixTimeMs, span);
        }
        return span.active();
    }

    private void step(long deviceId, Track t, boolean isLate, FixPosition fix, long now, Decision decision,
                      boolean leaning, TransitionEvent event, TransitionListener listener) {
        boolean isViolating = decision == violating;
        boolean isCertainlyCompliant = decision == compliant;
        // Closing may rest on the centre alone for inclusion zones: opening stays strict, closing must stay possible
        // in a zone smaller than the fix's uncertainty.
        boolean isCompliant = isCertainlyCompliant || (closesOnCentre && !isViolating && probe.signedMetres > 0);
        if (decision == Decision.UNCERTAIN && leaning && !t.inViolation()) {
            if (t.uncertainFixes++ == 0) {
                t.uncertainStartMs = now;
            }
            if (!t.uncertainReported && maxUncertainMs > 0 && now - t.uncertainStartMs >= maxUncertainMs) {
                t.uncertainReported = true;
                if (!isLate) {
                    emit(deviceId, TransitionKind.UNCERTAIN_TOO_LONG, false, fix, now, decision, t.uncertainStartMs,
                            t.uncertainFixes, event, listener);
                }
            }
        } else {
            t.uncertainFixes = 0;
            t.uncertainReported = false;
        }
        switch (t.phase) {
            case COMPLIANT -> {
                if (isViolating) {
                    t.phase = Track.Phase.SUSPECTED;
                    t.runStartMs = now;
                    t.runFixes = 1;
                    maybeOpen(deviceId, t, isLate, fix, now, decision, event, listener);
                }
            }
            case SUSPECTED -> {
                if (isViolating) {
                    t.runFixes++;
                    maybeOpen(deviceId, t, isLate, fix, now, decision, event, listener);
                } else {
                    t.phase = Track.Phase.COMPLIANT;
                }
            }
            case VIOLATION -> {
                if (isCompliant) {
                    t.phase = Track.Phase.CLEARING;
                    t.runStartMs = now;
                    t.runFixes = 1;
                    t.runOnCentre = !isCertainlyCompliant;
                    maybeClose(deviceId, t, isLate, fix, now, decision, event, listener);
                }
            }
            case CLEARING -> {
                if (isCompliant) {
                    t.runFixes++;
                    t.runOnCentre |= !isCertainlyCompliant;
                    maybeClose(deviceId, t, isLate, fix, now, decision, event, listener);
                } else {
                    t.phase = Track.Phase.VIOLATION;
                }
            }
        }
    }

    private void maybeOpen(long deviceId, Track t, boolean isLate, FixPosition fix, long now, Decision decision,
                           TransitionEvent event, TransitionListener listener) {
        if (t.runFixes < rule.hysteresis().openFixes() || now - t.runStartMs < openDwellMs) {
            return;
        }
        t.phase = Track.Phase.VIOLATION;
        t.violationStartMs = t.runStartMs;
        if (!isLate) {
            emit(deviceId, TransitionKind.VIOLATION_OPENED, false, fix, now, decision, t.runStartMs, t.runFixes,
                    event, listener);
        } else if (!live.inViolation()) {
            // An episode found in late data while no live violation is open: reported once, marked late.
            emit(deviceId, TransitionKind.LATE_VIOLATION, true, fix, now, decision, t.runStartMs, t.runFixes,
                    event, listener);
        }
    }

    private void maybeClose(long deviceId, Track t, boolean isLate, FixPosition fix, long now, Decision decision,
                            TransitionEvent event, TransitionListener listener) {
        int fixesNeeded = rule.hysteresis().closeFixes();
        long dwellNeededMs = closeDwellMs;
        if (t.runOnCentre) {
            fixesNeeded = Math.max(fixesNeeded, CENTRE_CLOSE_MIN_FIXES);
            dwellNeededMs = Math.max(dwellNeededMs, CENTRE_CLOSE_MIN_DWELL_MS);
        }
        if (t.runFixes < fixesNeeded || now - t.runStartMs < dwellNeededMs) {
            return;
        }
        t.phase = Track.Phase.COMPLIANT;
        if (isLate) {
            return;
        }
        double signed = probe.exactSignedMetres(fix);
        String explanation = probe.subject(rule.kind().label(), rule.name()) + " cleared: "
                + (t.runOnCentre ? "back inside, " : "") + probe.position(signed)
                + ", " + Explanation.fixes(t.runFixes, now - t.runStartMs)
                + (t.runOnCentre ? " with their centre inside the zone" : "") + "; violation lasted "
                + Explanation.duration(now - t.violationStartMs) + probe.context();
        event.set(deviceId, rule.id(), rule.kind(), rule.name(), TransitionKind.VIOLATION_CLOSED, false,
                t.violationStartMs, now, decision, signed, probe.uncertaintyMetres, t.runFixes,
                now - t.violationStartMs, probe.zoneName(), probe.victimAgeMs(), explanation);
        listener.onTransition(event);
    }

    /** Closes an open live violation for a reason other than compliant fixes (schedule end, rule removed). */
    void closeWithoutFix(long deviceId, long now, String reason, TransitionEvent event,
                         TransitionListener listener) {
        if (!live.inViolation()) {
            return;
        }
        long lasted = now - live.violationStartMs;
        String explanation = probe.subject(rule.kind().label(), rule.name()) + " cleared: " + reason
                + "; violation lasted " + Explanation.duration(lasted);
        event.set(deviceId, rule.id(), rule.kind(), rule.name(), TransitionKind.VIOLATION_CLOSED, false,
                live.violationStartMs, now, Decision.UNCERTAIN, Double.NaN, Double.NaN, 0, lasted,
                probe.zoneName(), -1, explanation);
        live.reset();
        listener.onTransition(event);
    }

    private void warn(long deviceId, FixPosition fix, long now, double margin, TransitionEvent event,
                      TransitionListener listener) {
        double warningSigned = probe.warningSignedMetres();
        if (Double.isNaN(warningSigned)) {
            return;
        }
        if (!warningRaised && live.phase == Track.Phase.COMPLIANT && warningSigned > margin) {
            warningRaised = true;
            warningSinceMs = now;
            emit(deviceId, TransitionKind.PROXIMITY_WARNING, false, fix, now, Decision.INSIDE, now, 1, event,
                    listener);
        } else if (warningRaised && warningSigned < -margin) {
            warningRaised = false;
            long since = warningSinceMs;
            warningSinceMs = Long.MIN_VALUE;
            if (since != Long.MIN_VALUE) {   // a warning restored from a snapshot older than this field cannot be found
                double signed = probe.exactSignedMetres(fix);
                String explanation = probe.subject(rule.kind().label(), rule.name()) + ": moved away, "
                        + probe.position(signed) + ", beyond the warning distance" + probe.context();
                event.set(deviceId, rule.id(), rule.kind(), rule.name(), TransitionKind.PROXIMITY_WARNING_ENDED, false,
                        since, now, Decision.of(signed, margin), signed, probe.uncertaintyMetres, 1, now - since,
                        probe.zoneName(), probe.victimAgeMs(), explanation);
                listener.onTransition(event);
            }
        }
    }

    /**
     * Exclusion zone with an approach warning: certainly within the warning distance outside the zone (or inside it,
     * before the violation opens) warns once; certainly beyond the distance again re-arms.
     */
    private void warnOnApproach(long deviceId, FixPosition fix, long now, double margin, TransitionEvent event,
                                TransitionListener listener) {
        double warningSigned = probe.signedMetres + rule.warningMetres();
        if (!warningRaised && !live.inViolation() && warningSigned > margin) {
            warningRaised = true;
            warningSinceMs = now;
            double signed = probe.exactSignedMetres(fix);
            String explanation = probe.subject(rule.kind().label(), rule.name()) + " approached: "
                    + probe.position(signed) + ", warning distance " + Explanation.metres(rule.warningMetres());
            event.set(deviceId, rule.id(), rule.kind(), rule.name(), TransitionKind.APPROACH_WARNING, false, now, now,
                    Decision.of(signed, margin), signed, probe.uncertaintyMetres, 1, 0, probe.zoneName(), -1,
                    explanation);
            listener.onTransition(event);
        } else if (warningRaised && warningSigned < -margin) {
            warningRaised = false;
            long since = warningSinceMs;
            warningSinceMs = Long.MIN_VALUE;
            if (since != Long.MIN_VALUE) {
                double signed = probe.exactSignedMetres(fix);
                String explanation = probe.subject(rule.kind().label(), rule.name()) + ": moved away, "
                        + probe.position(signed) + ", beyond the warning distance " + Explanation.metres(rule.warningMetres());
                event.set(deviceId, rule.id(), rule.kind(), rule.name(), TransitionKind.APPROACH_WARNING_ENDED, false, since,
                        now, Decision.of(signed, margin), signed, probe.uncertaintyMetres, 1, now - since, probe.zoneName(),
                        -1, explanation);
                listener.onTransition(event);
            }
        }
    }

    /**
     * Curfew with a warning time: the schedule is off at {@code nowMs}, the next window starts within the warning time,
     * and the position (a fix, or the last known one on the clock) is certainly outside the zone: warn once for that
     * window. {@code clockMs} is the tick time for a clock decision, -1 for a fix.
     */
    private void warnBeforeCurfew(long deviceId, FixPosition position, long positionTimeMs, long nowMs,
                                  double accuracyMetres, long clockMs, TransitionEvent event,
                                  TransitionListener listener) {
        long startMs = span.toMs();
        if (span.active() || startMs == Long.MAX_VALUE || startMs - nowMs > curfewWarningMs
                || curfewWarnedWindowMs == startMs) {
            return;
        }
        double grace = rule.graceMetres();
        probe.measure(position, positionTimeMs, accuracyMetres, grace);
        if (Decision.of(probe.signedMetres, probe.uncertaintyMetres + grace) != violating) {
            return;
        }
        curfewWarnedWindowMs = startMs;
        double signed = probe.exactSignedMetres(position);
        String explanation = probe.subject(rule.kind().label(), rule.name()) + ": curfew begins at "
                + Explanation.localTime(startMs, rule.schedule()) + " (in " + Explanation.duration(startMs - nowMs)
                + ") and the subject is " + probe.position(signed) + (clockMs >= 0 ? " at the last fix, "
                + Explanation.localTime(positionTimeMs, rule.schedule()) : "");
        event.set(deviceId, rule.id(), rule.kind(), rule.name(), TransitionKind.CURFEW_WARNING, false, startMs,
                positionTimeMs, violating, signed, probe.uncertaintyMetres, 1, startMs - nowMs, probe.zoneName(), -1,
                explanation);
        if (clockMs >= 0) {
            event.clockTimeMs(clockMs);
        }
        listener.onTransition(event);
    }

    private void emit(long deviceId, TransitionKind kind, boolean isLate, FixPosition fix, long now,
                      Decision decision, long openingMs, int fixes, TransitionEvent event,
                      TransitionListener listener) {
        double signed = probe.exactSignedMetres(fix);
        String subject = probe.subject(rule.kind().label(), rule.name());
        String explanation = switch (kind) {
            case UNCERTAIN_TOO_LONG -> subject + " ambiguous for " + Explanation.duration(now - openingMs) + ": "
                    + probe.position(signed) + ", " + fixes + (fixes == 1 ? " fix" : " fixes");
            case PROXIMITY_WARNING -> subject + " warning: " + probe.position(signed);
            case LATE_VIOLATION -> "Late data: " + subject + ": " + probe.position(signed) + ", "
                    + Explanation.fixes(fixes, now - openingMs);
            default -> subject + ": " + probe.position(signed) + ", " + Explanation.fixes(fixes, now - openingMs);
        } + probe.context();
        event.set(deviceId, rule.id(), rule.kind(), rule.name(), kind, isLate, openingMs, now, decision, signed,
                probe.uncertaintyMetres, fixes, now - openingMs, probe.zoneName(), probe.victimAgeMs(), explanation);
        listener.onTransition(event);
    }
}
