package io.kuzet.simulator.quality;

/**
 * A zone-violation alert as the quality comparison sees it, from the server or from the naive baseline: which rule,
 * the time of the violating fix and the time it was detected. Immutable.
 */
public record RaisedAlert(long subjectId, long ruleId, long fixTimeMs, long detectedAtMs) {
}
