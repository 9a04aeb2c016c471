package io.kuzet.simulator.quality;

/**
 * A true violation: the subject's true position was on the violating side of a rule's zone while the rule applied,
 * from {@code startMs} to {@code endMs}, at most {@code maxDepthMetres} deep; {@code validFixes} is how many valid
 * fixes the bracelet sent during it (-1 = not counted). Immutable.
 */
public record Episode(long subjectId, long ruleId, long startMs, long endMs, double maxDepthMetres, int validFixes) {

    public Episode withValidFixes(int count) {
        return new Episode(subjectId, ruleId, startMs, endMs, maxDepthMetres, count);
    }

    /** The server had a chance: at least 3 valid fixes during the episode (not dead battery, switched off or shielded). */
    public boolean observable() {
        return validFixes < 0 || validFixes >= 3;
    }

    public long durationMs() {
        return endMs - startMs;
    }

    /** Deep and long enough that missing it is a failure: deeper than 50 m for longer than 2 minutes. */
    public boolean significant() {
        return maxDepthMetres > 50 && durationMs() > 120_000;
    }
}
