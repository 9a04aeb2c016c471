package io.kuzet.simulator.quality;

/**
 * A true violation: the subject's true position was on the violating side of a rule's zone while the rule applied,
 * from {@code startMs} to {@code endMs}, at most {@code maxDepthMetres} deep. Immutable.
 */
public record Episode(long subjectId, long ruleId, long startMs, long endMs, double maxDepthMetres) {
    public long durationMs() {
        return endMs - startMs;
    }

    /** Deep and long enough that missing it is a failure: deeper than 50 m for longer than 2 minutes. */
    public boolean significant() {
        return maxDepthMetres > 50 && durationMs() > 120_000;
    }
}
