package io.kuzet.simulator.fleet;

import java.util.List;

/**
 * A generated fleet: subjects with routines and zones over [startMs, endMs). Immutable and thread-safe.
 */
public record Fleet(long seed, long startMs, long endMs, List<SimSubject> subjects) {
    public double subjectDays() {
        return subjects.size() * (endMs - startMs) / 86_400_000.0;
    }
}
