package io.kuzet.geofence.testing;

import io.kuzet.geofence.decision.Decision;
import io.kuzet.geofence.decision.TransitionEvent;
import io.kuzet.geofence.decision.TransitionKind;
import io.kuzet.geofence.decision.TransitionListener;
import java.util.ArrayList;
import java.util.List;

/** Keeps a copy of every transition (the engine reuses its event object). */
public final class Recorder implements TransitionListener {
    /** Immutable copy of the fields tests look at. */
    public record Seen(long ruleId, TransitionKind kind, boolean late, long openingFixTimeMs, long fixTimeMs,
                       Decision decision, double signedMetres, double accuracyMetres, int fixes, long durationMs,
                       long victimAgeMs, String explanation) {
    }

    public final List<Seen> events = new ArrayList<>();

    @Override
    public void onTransition(TransitionEvent e) {
        events.add(new Seen(e.ruleId(), e.transition(), e.late(), e.openingFixTimeMs(), e.fixTimeMs(), e.decision(),
                e.signedDistanceMetres(), e.accuracyMetres(), e.fixCount(), e.durationMs(), e.victimAgeMs(),
                e.explanation()));
    }

    public List<Seen> of(TransitionKind kind) {
        return events.stream().filter(e -> e.kind() == kind).toList();
    }
}
