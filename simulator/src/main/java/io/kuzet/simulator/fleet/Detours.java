package io.kuzet.simulator.fleet;

import io.kuzet.simulator.gps.GeoPoint;
import io.kuzet.simulator.gps.SkyView;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Where subjects left their routine because the bracelet warned them: from the warning until the routine's path is
 * clear of the zone again, the subject waits where they turned back, then carries on. The fleet driver adds holds; the
 * driver's sampling and the ground truth both read through {@link #sample}, so a violation a warning prevented is not
 * a true episode. Thread-safe for one writer and readers.
 */
public final class Detours {
    /** The subject stays at {@code point} over [fromMs, untilMs). */
    public record Hold(long fromMs, long untilMs, GeoPoint point, SkyView sky) {
    }

    private final Map<Long, List<Hold>> bySubject = new ConcurrentHashMap<>();

    public void hold(long subjectId, Hold hold) {
        bySubject.computeIfAbsent(subjectId, k -> new CopyOnWriteArrayList<>()).add(hold);
    }

    /** Holds added so far. */
    public int count() {
        return bySubject.values().stream().mapToInt(List::size).sum();
    }

    /** The subject's true state: the routine's, unless a hold covers {@code timeMs}. */
    public TruthSample sample(SimSubject subject, long timeMs) {
        List<Hold> holds = bySubject.get(subject.subjectId());
        if (holds != null) {
            for (int i = holds.size() - 1; i >= 0; i--) {
                Hold h = holds.get(i);
                if (timeMs >= h.fromMs() && timeMs < h.untilMs()) {
                    return new TruthSample(h.point(), h.sky(), 0, 0, "turned back after a warning");
                }
            }
        }
        return subject.routine().sample(timeMs);
    }
}
